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

export const USAGE =
  'usage: npm run serve -- [--host H] [--proxy-port N] [--ui-port N] [--db FILE] [--config FILE] ' +
  '[--upstream [NAME=]URL]...';

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
