// Command line of `npm run serve`, parsed and validated before anything starts.
import { parseArgs } from 'node:util';
import type { UpstreamSettings } from './contract/settings-schema';

export interface ServeArgs {
  host?: string;
  proxyPort?: number;
  uiPort?: number;
  db?: string;
  config?: string;
  /** From --upstream; when present they replace the settings file's upstreams for this run. */
  upstreams?: UpstreamSettings[];
}

export type ParsedArgs = { ok: true; args: ServeArgs } | { ok: false; message: string };

/** True when the command line asks for help: answered before anything starts or is validated. */
export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export const USAGE =
  'usage: npm run serve -- [--host H] [--proxy-port N] [--ui-port N] [--db FILE] [--config FILE] ' +
  '[--upstream [NAME=]URL]...';

export const HELP = `${USAGE}

The proxy and the UI in a browser, without Electron. Point OPENAI_BASE_URL / ANTHROPIC_BASE_URL at the
proxy's address; open the UI's address (it carries the session's token) in a browser.

  --host H                 address to listen on (default 127.0.0.1; anything else exposes the proxy)
  --proxy-port N           the proxy's port (default from the settings file, 8080; 0 picks a free port)
  --ui-port N              the UI's port (default 0: a free port, printed at start)
  --db FILE                the SQLite log (default the app's log, shared with the desktop app)
  --config FILE            the settings file (default the app's settings.json)
  --upstream [NAME=]URL    forward to URL, mounted at /NAME (or at / without NAME); repeat for more;
                           replaces the settings file's upstreams for this run
  -h, --help               this text

SIGINT/SIGTERM flush the log and exit 0.`;

function port(value: string | undefined, flag: string): number | undefined | string {
  if (value === undefined) return undefined;
  const n = Number(value);
  return /^\d+$/.test(value) && n <= 65535
    ? n
    : `${flag} must be a port number 0-65535 (0 picks a free port), got "${value}"`;
}

/** `URL` mounts at / named after the URL's host; `NAME=URL` mounts at /NAME. */
export function parseUpstream(spec: string): UpstreamSettings | string {
  const eq = spec.indexOf('=');
  const named = eq > 0 && !spec.slice(0, eq).includes('/');
  const name = named ? spec.slice(0, eq) : null;
  const raw = named ? spec.slice(eq + 1) : spec;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `--upstream ${spec}: "${raw}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `--upstream ${spec}: only http and https URLs`;
  const baseUrl = raw.replace(/\/+$/, '');
  return name === null ? { name: url.host, baseUrl, mount: '/' } : { name, baseUrl, mount: `/${name}` };
}

export function parseServeArgs(argv: string[]): ParsedArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    return { ok: false, message: `${(error as Error).message}\n${USAGE}` };
  }
  const args: ServeArgs = {};
  if (values.host !== undefined) args.host = values.host;
  for (const [flag, key, value] of [
    ['--proxy-port', 'proxyPort', values['proxy-port']],
    ['--ui-port', 'uiPort', values['ui-port']],
  ] as const) {
    const parsed = port(value, flag);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    if (parsed !== undefined) args[key] = parsed;
  }
  if (values.db !== undefined) args.db = values.db;
  if (values.config !== undefined) args.config = values.config;
  if (values.upstream !== undefined) {
    const upstreams: UpstreamSettings[] = [];
    for (const spec of values.upstream) {
      const parsed = parseUpstream(spec);
      if (typeof parsed === 'string') return { ok: false, message: parsed };
      upstreams.push(parsed);
    }
    if (upstreams.filter((u) => u.mount === '/').length > 1)
      return { ok: false, message: 'only one --upstream may be given without a NAME= (it is mounted at /)' };
    args.upstreams = upstreams;
  }
  return { ok: true, args };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      'proxy-port': { type: 'string' },
      'ui-port': { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      upstream: { type: 'string', multiple: true },
    },
  });
}
