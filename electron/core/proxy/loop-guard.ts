// Loop guard: an upstream that points back at the proxy would have every request forward itself
// again, thousands of times a second, each with its row. Addresses are compared in one canonical
// form (IPv4-mapped IPv6 `::ffff:127.0.0.1` is 127.0.0.1; `127.1`, `LOCALHOST.` are what they
// name), and names are compared by the addresses they resolve to.
//
// Resolving never happens on a request: names are looked up when settings are applied (start,
// reconfigure), for a bounded time, and requests read that cache. A name that resolves only later
// (slow DNS) is known from when its answer arrives; a name whose answer changes after the settings
// were applied is seen with its old addresses until they are applied again.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { portOf, type UpstreamTarget } from './router';

/** Resolves a name to its addresses (dns.lookup's answers, what a connection to it would use). */
export type NameLookup = (name: string) => Promise<string[]>;

export const systemLookup: NameLookup = async (name) =>
  (await dnsLookup(name, { all: true, verbatim: true })).map((a) => a.address);

/**
 * How long applying settings waits for names to resolve. Local names (/etc/hosts, mDNS) answer in
 * milliseconds; a resolver that takes longer is not waited for, and its answer is used once it comes.
 */
export const LOOKUP_WAIT_MS = 1000;

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** A host (name, IPv4, IPv6 with or without brackets) in the form addresses are compared in. */
export function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (isIP(h) === 6) {
    // The URL parser writes IPv6 in its one compressed form (and an embedded IPv4 in hex).
    const v6 = new URL(`http://[${h}]`).hostname.slice(1, -1);
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
    if (mapped === null) return v6;
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  if (isIP(h) === 0) {
    // `127.1`, `0x7f000001` and friends are IPv4 addresses to a connection; the URL parser says which.
    try {
      const parsed = new URL(`http://${h}`).hostname;
      if (isIP(parsed) === 4) return parsed;
    } catch {
      // not a host a URL can hold: compared as written
    }
  }
  return h;
}

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host.endsWith('.localhost') || host.startsWith('127.') || host === '::1';
}

function isUnspecified(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** Cached answers of name lookups, filled when settings are applied and read by every request. */
export class ResolvedNames {
  private answers = new Map<string, string[]>();

  constructor(private readonly lookup: NameLookup = systemLookup) {}

  /** Canonical addresses of `host` as last resolved; [] for an address or a name not (yet) resolved. */
  readonly addressesOf = (host: string): readonly string[] => this.answers.get(canonicalHost(host)) ?? [];

  /**
   * Looks up every name among `hosts` (addresses need no lookup), waiting at most `waitMs`.
   * Names no longer among them are forgotten, so the cache holds only what the settings name.
   */
  async refresh(hosts: Iterable<string>, waitMs = LOOKUP_WAIT_MS): Promise<void> {
    const names = new Set([...hosts].map(canonicalHost).filter((h) => isIP(h) === 0 && !isLoopback(h) && h !== ''));
    const next = new Map<string, string[]>();
    for (const name of names) {
      const known = this.answers.get(name);
      if (known !== undefined) next.set(name, known);
    }
    this.answers = next;
    const lookups = [...names].map(async (name) => {
      try {
        const addresses = (await this.lookup(name)).map(canonicalHost);
        // Applied settings may have moved on while this lookup was out.
        if (this.answers === next) next.set(name, addresses);
      } catch {
        // Unresolvable now: the request will fail to connect, which is no loop.
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs).unref()));
    await Promise.race([Promise.all(lookups), timeout]);
    clearTimeout(timer);
  }
}

/** True when `target` would reach one of the proxy's own listening ports. */
export function isOwnAddress(
  target: Pick<UpstreamTarget, 'protocol' | 'hostname' | 'port'>,
  own: { host: string; ports: readonly number[] },
  addressesOf: (host: string) => readonly string[] = () => [],
): boolean {
  const port = portOf(target);
  if (!own.ports.includes(port)) return false;
  const ownHosts = [canonicalHost(own.host), ...addressesOf(own.host)];
  const wildcard = ownHosts.some(isUnspecified);
  const targets = [canonicalHost(target.hostname), ...addressesOf(target.hostname)];
  // Loopback and unspecified targets at our port are treated as us even when we listen elsewhere:
  // refusing a request is cheap, a loop is not.
  return targets.some((t) => isLoopback(t) || isUnspecified(t) || ownHosts.includes(t) || (wildcard && isIP(t) !== 0));
}
