import { expect, it } from 'vitest';
import { parseServeArgs, wantsHelp } from '../../electron/core/serve-args';

it('parses every flag; --upstream URL mounts at / named after the host, NAME=URL at /NAME', () => {
  const parsed = parseServeArgs([
    '--host',
    '0.0.0.0',
    '--proxy-port',
    '0',
    '--ui-port',
    '9000',
    '--db',
    'a.sqlite',
    '--config',
    'c.json',
    '--upstream',
    'https://api.openai.com/v1/',
    '--upstream',
    'anthropic=https://api.anthropic.com',
    '--upstream',
    'local=http://127.0.0.1:11434',
  ]);
  expect(parsed).toEqual({
    ok: true,
    args: {
      host: '0.0.0.0',
      proxyPort: 0,
      uiPort: 9000,
      db: 'a.sqlite',
      config: 'c.json',
      upstreams: [
        { name: 'api.openai.com', baseUrl: 'https://api.openai.com/v1', mount: '/' },
        { name: 'anthropic', baseUrl: 'https://api.anthropic.com', mount: '/anthropic' },
        { name: 'local', baseUrl: 'http://127.0.0.1:11434', mount: '/local' },
      ],
    },
  });
  expect(parseServeArgs([])).toEqual({ ok: true, args: {} });
});

it('refuses bad input with a message that says what is wrong', () => {
  const message = (argv: string[]) => {
    const r = parseServeArgs(argv);
    return r.ok ? '' : r.message;
  };
  expect(message(['--proxy-port', '70000'])).toMatch(/--proxy-port must be a port number/);
  expect(message(['--ui-port', 'abc'])).toMatch(/--ui-port must be a port number/);
  expect(message(['--upstream', 'not a url'])).toMatch(/is not a URL/);
  expect(message(['--upstream', 'ftp://x'])).toMatch(/only http and https/);
  expect(message(['--upstream', 'http://a', '--upstream', 'http://b'])).toMatch(
    /only one --upstream may be given without a NAME=/,
  );
  expect(message(['--bogus'])).toMatch(/Unknown option '--bogus'[\s\S]*usage: npm run serve/);
});

it('asks for help with --help or -h anywhere on the line', () => {
  expect(wantsHelp(['--help'])).toBe(true);
  expect(wantsHelp(['--db', 'x', '-h'])).toBe(true);
  expect(wantsHelp(['--db', 'x'])).toBe(false);
});
