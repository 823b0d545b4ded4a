/**
 * Which addresses a feed fetch may connect to, the operator's allow-list, feed URL syntax, and
 * the undici connector that enforces the address rules at connect time: on the address it is
 * about to dial and again on the socket's remote address (DESIGN.md, Security; RELIABILITY.md F1).
 * The URL check is syntax only. Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32) are deliberately not forbidden: tests use them as public hosts.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';
import { FetchError } from './fetch.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;
type Cidr<T> = [T, number];

/** Longest feed URL accepted, in characters. */
export const FEED_URL_MAX_LENGTH = 2048;

// ipaddr.js range names that are unambiguous about being off-limits. Its `reserved` name is not
// used: it also covers the documentation ranges.
const FORBIDDEN_V4_NAMES: Record<string, string> = {
  unspecified: 'an unspecified',
  broadcast: 'a broadcast',
  multicast: 'a multicast',
  linkLocal: 'a link-local',
  loopback: 'a loopback',
  carrierGradeNat: 'a carrier-grade NAT (shared)',
  private: 'a private',
};
const FORBIDDEN_V6_NAMES: Record<string, string> = {
  unspecified: 'an unspecified',
  loopback: 'a loopback',
  linkLocal: 'a link-local',
  multicast: 'a multicast',
  uniqueLocal: 'a unique-local (private)',
  teredo: 'a Teredo tunnel',
  benchmarking: 'a benchmarking',
};

// Not globally reachable per the IANA special-purpose registries, and not named by ipaddr.js.
const FORBIDDEN_V4_CIDRS: Array<[Cidr<IPv4>, string]> = [
  [ipaddr.IPv4.parseCIDR('192.0.0.0/24'), 'a reserved (IETF protocol)'],
  [ipaddr.IPv4.parseCIDR('192.88.99.0/24'), 'a reserved (6to4 relay)'],
  [ipaddr.IPv4.parseCIDR('198.18.0.0/15'), 'a benchmarking'],
  [ipaddr.IPv4.parseCIDR('240.0.0.0/4'), 'a reserved'],
];
const FORBIDDEN_V6_CIDRS: Array<[Cidr<IPv6>, string]> = [
  [ipaddr.IPv6.parseCIDR('fec0::/10'), 'a site-local (private)'],
  [ipaddr.IPv6.parseCIDR('100::/64'), 'a discard-only'],
  [ipaddr.IPv6.parseCIDR('64:ff9b:1::/48'), 'a local-use NAT64'],
  [ipaddr.IPv6.parseCIDR('5f00::/16'), 'a segment-routing'],
];
const NAT64_WELL_KNOWN: Cidr<IPv6> = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/**
 * Why `ip` must not be connected to, as a noun phrase ("a private address"), or `undefined`
 * when it is a public address. Anything that is not a plain IPv4/IPv6 literal is refused.
 */
export function forbiddenReason(ip: string): string | undefined {
  const addr = parseIp(ip);
  if (addr === undefined) return 'not a valid IP address';
  if (addr instanceof ipaddr.IPv4) return v4Reason(addr);
  const named = FORBIDDEN_V6_NAMES[addr.range()];
  if (named !== undefined) return `${named} address`;
  for (const [cidr, label] of FORBIDDEN_V6_CIDRS) if (addr.match(cidr)) return `${label} address`;
  const embedded = embeddedIPv4(addr);
  if (embedded === undefined) return undefined;
  const inner = v4Reason(embedded.v4);
  return inner === undefined ? undefined : `${embedded.label} address for ${embedded.v4.toString()}, ${inner}`;
}

/** True when a fetch must not connect to `ip` (unless the operator allow-listed it). */
export function isForbiddenAddress(ip: string): boolean {
  return forbiddenReason(ip) !== undefined;
}

function v4Reason(addr: IPv4): string | undefined {
  const named = FORBIDDEN_V4_NAMES[addr.range()];
  if (named !== undefined) return `${named} address`;
  for (const [cidr, label] of FORBIDDEN_V4_CIDRS) if (addr.match(cidr)) return `${label} address`;
  return undefined;
}

/** The IPv4 address an IPv6 address stands for, when it is one of the embedding formats. */
function embeddedIPv4(addr: IPv6): { v4: IPv4; label: string } | undefined {
  const p = addr.parts;
  const v4 = (hi: number, lo: number): IPv4 => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const [p0, p1, p2, p3, p4, p5, p6, p7] = [p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!];
  const range = addr.range();
  if (range === 'ipv4Mapped') return { v4: v4(p6, p7), label: 'an IPv4-mapped' };
  if (range === 'rfc6145') return { v4: v4(p6, p7), label: 'an IPv4-translated' };
  if (addr.match(NAT64_WELL_KNOWN)) return { v4: v4(p6, p7), label: 'a NAT64' };
  if (range === '6to4') return { v4: v4(p1, p2), label: 'a 6to4' };
  // IPv4-compatible ::a.b.c.d (RFC 4291 §2.5.5.1, deprecated); :: and ::1 were handled by name.
  if ((p0 | p1 | p2 | p3 | p4 | p5) === 0) return { v4: v4(p6, p7), label: 'an IPv4-compatible' };
  return undefined;
}

/** Parses a plain IPv4/IPv6 literal (no brackets, no shorthand such as `127.1`). */
function parseIp(ip: string): IPv4 | IPv6 | undefined {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 0) return undefined;
  // ipaddr.js 2.5 reads `::a.b.c.d` as `::ffff:a.b.c.d`; let the WHATWG parser canonicalise first.
  const text = family === 6 && bare.includes('.') && !bare.includes('%') ? new URL(`http://[${bare}]/`).hostname.slice(1, -1) : bare;
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
}

/** Operator exceptions to the address rules, from `FEED_ALLOW_PRIVATE_HOSTS`. */
export interface AllowList {
  /** True when the DNS name `hostname` is listed (case-insensitive, trailing dot ignored). */
  allowsHost(hostname: string): boolean;
  /** True when the IP literal `ip` is listed or inside a listed CIDR range. */
  allowsAddress(ip: string): boolean;
  /** True when nothing is listed. */
  readonly isEmpty: boolean;
}

const HOST_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * Parses `FEED_ALLOW_PRIVATE_HOSTS`: comma-separated host names, IP addresses and CIDR ranges
 * (`feeds.internal, 10.0.0.7, 192.168.0.0/16, fd00::/8`). Empty entries are ignored.
 *
 * @throws Error naming the position of the first invalid entry (never its text, which might be
 *   a secret pasted into the wrong variable).
 */
export function parseAllowList(spec: string): AllowList {
  const hosts = new Set<string>();
  const ranges: Array<Cidr<IPv4 | IPv6>> = [];
  spec.split(',').forEach((rawEntry, index) => {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') return;
    const bad = new Error(
      `FEED_ALLOW_PRIVATE_HOSTS entry ${index + 1} is not a host name, IP address or CIDR range`,
    );
    const [addrPart, prefixPart, ...rest] = entry.split('/');
    const addr = parseIp(addrPart ?? '');
    if (addr !== undefined) {
      const maxBits = addr.kind() === 'ipv4' ? 32 : 128;
      const bits = prefixPart === undefined ? maxBits : Number(prefixPart);
      if (rest.length > 0 || !/^\d{1,3}$/.test(prefixPart ?? '0') || bits > maxBits) throw bad;
      ranges.push([addr, bits]);
      return;
    }
    const name = entry.endsWith('.') ? entry.slice(0, -1) : entry;
    if (name.length > 253 || !name.split('.').every((label) => HOST_LABEL.test(label))) throw bad;
    hosts.add(name);
  });

  return {
    isEmpty: hosts.size === 0 && ranges.length === 0,
    allowsHost(hostname) {
      const name = hostname.toLowerCase();
      return hosts.has(name.endsWith('.') ? name.slice(0, -1) : name);
    },
    allowsAddress(ip) {
      const parsed = parseIp(ip);
      if (parsed === undefined) return false;
      // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; match them as IPv4.
      const addr = parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress() ? parsed.toIPv4Address() : parsed;
      return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
    },
  };
}

/** True for names that always mean this machine (RFC 6761 §6.3), whatever DNS says. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Checks a feed URL's syntax: http or https, no user name or password, a host, at most
 * {@link FEED_URL_MAX_LENGTH} characters. Returns the WHATWG-parsed URL, whose host is already
 * normalised (`http://0x7f000001/` has hostname `127.0.0.1`); addresses are checked at connect time.
 *
 * @throws FetchError of kind `invalid-url`; the message never repeats the URL.
 */
export function validateFeedUrl(raw: string): URL {
  const invalid = (why: string): FetchError => new FetchError('invalid-url', why);
  if (raw.length > FEED_URL_MAX_LENGTH) {
    throw invalid(`the URL is longer than ${FEED_URL_MAX_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('this is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`only http and https feed URLs are allowed, not ${url.protocol.slice(0, 20)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('feed URLs must not contain a user name or password');
  }
  if (url.hostname === '') throw invalid('the URL has no host');
  // Parsers disagree on where the host ends in `http://a#@b/` and `http://a\@b/` ("A New Era of
  // SSRF", Orange Tsai, 2017). The fragment is never sent and a feed URL has no use for a
  // backslash, so refuse instead of guessing which host was meant.
  if (url.hash.includes('@') || raw.includes('\\')) {
    throw invalid('the URL is ambiguous (an "@" in the fragment or a backslash)');
  }
  return url;
}

// ---------------------------------------------------------------- connect-time guard

/** Resolves a host name to every address it has, like `dns.promises.lookup(host, { all: true })`. */
export type HostLookup = (hostname: string) => Promise<Array<{ address: string; family: 4 | 6 }>>;

/** The vetted address a connection is about to be opened to. */
export interface DialTarget {
  /** The host from the URL (a name, or the IP literal). */
  hostname: string;
  address: string;
  family: 4 | 6;
  port: number;
  protocol: 'http:' | 'https:';
}

/**
 * Test hook around opening a socket: called with the vetted target and the real opener.
 * Tests use it to record dials and abort any that would leave loopback.
 */
export type DialHook = (target: DialTarget, open: (target: DialTarget) => Promise<Socket>) => Promise<Socket>;

const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** What {@link createGuardedConnector} needs. */
export interface GuardedConnectorOptions {
  allowList: AllowList;
  /** Default: the system resolver (`dns.promises.lookup`, all addresses). */
  lookup?: HostLookup;
  /** Test hook, see {@link DialHook}. */
  dial?: DialHook;
  /** Limit for the DNS lookup, and for each TCP/TLS connect. */
  timeoutMs: number;
}

type ConnectorDeps = GuardedConnectorOptions & { lookup: HostLookup };

/**
 * An undici `connect` function (for `new Agent({ connect })`) that opens sockets only to
 * addresses it resolved and vetted itself, so a DNS answer that changes between check and
 * connect (rebinding) cannot matter, and that checks the socket's remote address again once
 * connected. It runs for every new connection, hence for every redirect hop.
 * Refusals are {@link FetchError}s of kind `blocked`.
 */
export function createGuardedConnector(opts: GuardedConnectorOptions): buildConnector.connector {
  const deps: ConnectorDeps = { ...opts, lookup: opts.lookup ?? systemLookup };
  const connect = buildConnector({ timeout: deps.timeoutMs });
  const open = (target: DialTarget): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const servername = isIP(target.hostname) === 0 ? target.hostname : undefined;
      connect(
        { hostname: target.address, protocol: target.protocol, port: String(target.port), servername },
        (...[err, socket]) => (err === null ? resolve(socket) : reject(err)),
      );
    });
  return (options, callback) => {
    connectVetted(options, deps, open).then(
      (socket) => callback(null, socket),
      (err: Error) => callback(err, null),
    );
  };
}

async function connectVetted(
  options: buildConnector.Options,
  deps: ConnectorDeps,
  open: (target: DialTarget) => Promise<Socket>,
): Promise<Socket> {
  const { hostname } = options; // undici has already removed IPv6 brackets
  const protocol = options.protocol === 'https:' ? 'https:' : 'http:';
  const port = options.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(options.port);
  const family = isIP(hostname);
  const name = family === 0 ? hostname : undefined;
  if (name !== undefined && isLocalhostName(name) && !deps.allowList.allowsHost(name)) {
    throw new FetchError('blocked', `refused: ${name} always means this machine`);
  }
  const addresses = name === undefined ? [{ address: hostname, family: family === 6 ? 6 : 4 } as const] : await resolve(name, deps);
  for (const { address } of addresses) {
    assertAllowed(address, deps.allowList, name, name === undefined ? `${address} is` : `${name} resolves to ${address},`);
  }
  let lastError: unknown = new FetchError('network', `${hostname}: no address to connect to`);
  for (const candidate of firstPerFamily(addresses)) {
    let socket: Socket;
    try {
      const target: DialTarget = { hostname, address: candidate.address, family: candidate.family, port, protocol };
      socket = await (deps.dial === undefined ? open(target) : deps.dial(target, open));
    } catch (err) {
      lastError = err;
      continue;
    }
    const remote = socket.remoteAddress ?? 'an unknown address';
    try {
      assertAllowed(remote, deps.allowList, name, `the connection to ${hostname} went to ${remote},`);
    } catch (err) {
      socket.destroy();
      throw err;
    }
    return socket;
  }
  throw lastError;
}

async function resolve(name: string, deps: ConnectorDeps): Promise<Array<{ address: string; family: 4 | 6 }>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FetchError('timeout', `${name}: DNS lookup took longer than ${deps.timeoutMs / 1000} s`)),
      deps.timeoutMs,
    );
  });
  try {
    const addresses = await Promise.race([deps.lookup(name), late]);
    if (addresses.length === 0) throw new FetchError('network', `${name}: the host name does not resolve`);
    return addresses;
  } finally {
    clearTimeout(timer);
  }
}

/** Tries at most one address per family, in resolver order: a poor man's Happy Eyeballs. */
function firstPerFamily<T extends { family: 4 | 6 }>(addresses: readonly T[]): T[] {
  const picked: T[] = [];
  for (const a of addresses) if (!picked.some((p) => p.family === a.family)) picked.push(a);
  return picked;
}

/**
 * Throws a `blocked` {@link FetchError} ("refused: <subject> <reason>") unless `address` is public
 * or allow-listed, by address or by the host name it was resolved from.
 */
export function assertAllowed(address: string, allowList: AllowList, hostname: string | undefined, subject: string): void {
  const reason = forbiddenReason(address);
  if (reason === undefined || allowList.allowsAddress(address)) return;
  if (hostname !== undefined && allowList.allowsHost(hostname)) return;
  throw new FetchError('blocked', `refused: ${subject} ${reason}`);
}

