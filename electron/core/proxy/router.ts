// Maps an incoming path to an upstream by mount, and guards against requests that must not be
// forwarded: foreign browser origins and DNS-rebound Host names (loops: loop-guard.ts).
import { isIP } from 'node:net';
import { mountOf, type Settings, type UpstreamSettings } from '../contract/settings-schema';

/** Where a request goes: the upstream's origin parts and the full path (base path + rest, with query). */
export interface UpstreamTarget {
  protocol: string;
  /** hostname:port as in a Host header. */
  host: string;
  /** IPv6 literals keep their brackets here. */
  hostname: string;
  /** The hostname without an IPv6 literal's brackets, as a socket connects to it. */
  bareHostname: string;
  /** '' for the protocol's default port. */
  port: string;
  /** The port a socket connects to: `port`, or the protocol's default. */
  portNumber: number;
  path: string;
  href: string;
}

/** The port `target` is reached on: its own, or its protocol's default (URL leaves the default out). */
export function portOf(target: { protocol: string; port: string }): number {
  return target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : Number(target.port);
}

export interface Route {
  upstream: UpstreamSettings;
  mount: string;
  /** The path after the mount, with query, always starting with '/'. */
  rest: string;
  /** Upstream base URL + rest. The rest is passed on as sent, not re-normalised. */
  target: UpstreamTarget;
}

export type RouteResult =
  { ok: true; route: Route } | { ok: false; status: number; code: string; message: string; mounts?: string[] };

interface CompiledMount {
  mount: string;
  upstream: UpstreamSettings;
  base: URL;
  /** Base path without its trailing slash, so '/v1/' + '/chat' is '/v1/chat'. */
  basePath: string;
  /** base.hostname without brackets and the port as a number: worked out once, not per request. */
  bareHostname: string;
  portNumber: number;
}

export interface Router {
  route(url: string): RouteResult;
  mounts(): string[];
}

export function createRouter(upstreams: readonly UpstreamSettings[]): Router {
  // Longest mount first so '/' only catches what no named mount claims.
  const compiled: CompiledMount[] = upstreams
    .map((upstream) => {
      const base = new URL(upstream.baseUrl);
      return {
        mount: mountOf(upstream),
        upstream,
        base,
        basePath: base.pathname.replace(/\/+$/, ''),
        bareHostname: base.hostname.replace(/^\[|\]$/g, ''),
        portNumber: portOf(base),
      };
    })
    .sort((a, b) => b.mount.length - a.mount.length);
  const mounts = compiled.map((c) => c.mount).sort();
  return {
    mounts: () => mounts,
    route(url) {
      const path = url.startsWith('/') ? url : `/${url}`;
      for (const entry of compiled) {
        const rest = stripMount(path, entry.mount);
        if (rest === null) continue;
        const { base } = entry;
        const fullPath = entry.basePath + rest;
        const target = {
          protocol: base.protocol,
          host: base.host,
          hostname: base.hostname,
          bareHostname: entry.bareHostname,
          port: base.port,
          portNumber: entry.portNumber,
          path: fullPath,
          href: base.origin + fullPath,
        };
        return { ok: true, route: { upstream: entry.upstream, mount: entry.mount, rest, target } };
      }
      return {
        ok: false,
        status: 404,
        code: 'no_route',
        message: `no upstream is mounted at ${path.split('?')[0]}; configured mounts: ${mounts.join(', ') || '(none)'}`,
        mounts,
      };
    },
  };
}

function stripMount(path: string, mount: string): string | null {
  if (mount === '/') return path;
  if (path === mount) return '/';
  const next = path.charAt(mount.length);
  if (path.startsWith(mount) && (next === '/' || next === '?'))
    return next === '?' ? `/${path.slice(mount.length)}` : path.slice(mount.length);
  return null;
}

/**
 * A Host header is `uri-host [ ":" port ]` (RFC 9110 §7.2): an IP literal in brackets, or a name.
 * Names are DNS names here (letters, digits, `.`, `-`, `_`). Nothing else is accepted: a URL
 * parser would read `evil.example@127.0.0.1` as userinfo and host 127.0.0.1, but a Host header
 * has no userinfo, and a page that names evil.example must not pass for loopback.
 */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+))(?::\d{0,5})?$/;

/** The host a Host header names, lower-case, without brackets or a trailing dot; null if it is no valid Host. */
function hostnameOf(hostHeader: string): string | null {
  const m = HOST_HEADER.exec(hostHeader.toLowerCase());
  if (m === null) return null;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? m[1] : null;
  const name = m[2]!.endsWith('.') ? m[2]!.slice(0, -1) : m[2]!;
  return name === '' ? null : name;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * DNS rebinding: a page on evil.example can make its own name resolve to 127.0.0.1, but its
 * requests still say `Host: evil.example`. Only IP literals, localhost names and the configured
 * host are accepted; a rebinding attack always needs a DNS name.
 */
export function hostAllowed(hostHeader: string | undefined, settings: Pick<Settings, 'host'>): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  if (verdictsFor !== settings.host) {
    hostVerdicts.clear();
    verdictsFor = settings.host;
  }
  let allowed = hostVerdicts.get(hostHeader);
  if (allowed === undefined) {
    allowed = hostNameAllowed(hostHeader, settings.host);
    if (hostVerdicts.size >= MAX_HOST_VERDICTS) hostVerdicts.clear();
    hostVerdicts.set(hostHeader, allowed);
  }
  return allowed;
}

/**
 * Every request of a client names the same Host: the verdict is remembered (for the configured host it was
 * given under), rather than the header parsed again per request. A client inventing names only empties it.
 */
const hostVerdicts = new Map<string, boolean>();
let verdictsFor: string | null = null;
const MAX_HOST_VERDICTS = 256;

function hostNameAllowed(hostHeader: string, configuredHost: string): boolean {
  const name = hostnameOf(hostHeader);
  if (name === null) return false;
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost') || isIP(name) !== 0) return true;
  return name === configuredHost.toLowerCase().replace(/\.$/, '');
}

/** Browsers send Origin on cross-origin fetches; pages may not spend the keys the proxy injects. */
export function originAllowed(origin: string | undefined, settings: Pick<Settings, 'allowedOrigins'>): boolean {
  if (origin === undefined) return true;
  let parsed: string;
  try {
    parsed = new URL(origin).origin;
  } catch {
    return false;
  }
  if (parsed === 'null') return false;
  return settings.allowedOrigins.some((allowed) => new URL(allowed).origin === parsed);
}

/** Sec-Fetch-Site values (Fetch Metadata) that mean another page made the request. */
const OTHER_PAGE = new Set(['cross-site', 'same-site']);

/**
 * Browsers send Origin on CORS requests and POSTs, but not on every no-cors request (an <img>, a
 * <script>, a navigation); those still carry Sec-Fetch-Site. A request another page made
 * (cross-site, or same-site: loopback pages on other ports are the same site as the proxy) passes
 * only with an Origin, which originAllowed then holds to the allow-list, the one place that says
 * which pages may spend the keys the proxy injects. `same-origin`, `none` (the user typed the
 * URL) and clients that send no Fetch Metadata at all pass.
 */
export function fetchSiteAllowed(secFetchSite: string | undefined, origin: string | undefined): boolean {
  if (secFetchSite === undefined || origin !== undefined) return true;
  return !OTHER_PAGE.has(secFetchSite.trim().toLowerCase());
}
