/**
 * The address rules, the allow-list, URL syntax, and F1 of RELIABILITY.md §6.3 end to end.
 * Safety: names resolve through a stub DNS, and every dial goes through a hook that aborts it
 * unless the vetted address is loopback, so nothing here can leave 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FEED_URL_MAX_LENGTH,
  forbiddenReason,
  isForbiddenAddress,
  isLocalhostName,
  parseAllowList,
  validateFeedUrl,
} from '../../src/feeds/address-guard.js';
import { createFeedFetcher, FetchError, type DialHook, type DialTarget } from '../../src/feeds/fetch.js';
import { createStubDns, loopbackOnlyDial, startCanary, type Canary } from '../fakes/fake-feeds.js';
import { failure } from '../support/fetch-failure.js';

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['10.0.0.5', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT (shared) address'],
    ['100.127.255.255', 'a carrier-grade NAT (shared) address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['198.19.255.255', 'a benchmarking address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.0.8', 'a reserved (IETF protocol) address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['fc00::1', 'a unique-local (private) address'],
    ['fd00:ec2::254', 'a unique-local (private) address'],
    ['fec0::1', 'a site-local (private) address'],
    ['ff02::1', 'a multicast address'],
    ['100::1', 'a discard-only address'],
    ['2001:2::1', 'a benchmarking address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'a Teredo tunnel address'],
    ['64:ff9b:1::a00:1', 'a local-use NAT64 address'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped address for 127.0.0.1, a loopback address'],
    ['::ffff:7f00:1', 'an IPv4-mapped address for 127.0.0.1, a loopback address'],
    ['::ffff:169.254.169.254', 'an IPv4-mapped address for 169.254.169.254, a link-local address'],
    ['::ffff:0:10.0.0.1', 'an IPv4-translated address for 10.0.0.1, a private address'],
    ['::127.0.0.1', 'an IPv4-compatible address for 127.0.0.1, a loopback address'],
    ['64:ff9b::10.0.0.1', 'a NAT64 address for 10.0.0.1, a private address'],
    ['64:ff9b::7f00:1', 'a NAT64 address for 127.0.0.1, a loopback address'],
    ['2002:a9fe:a9fe::1', 'a 6to4 address for 169.254.169.254, a link-local address'],
    ['2002:7f00:1::', 'a 6to4 address for 127.0.0.1, a loopback address'],
  ])('refuses %s as %s', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(true);
    expect(forbiddenReason(ip)).toBe(reason);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '203.0.113.7', // documentation ranges stand in for public hosts in tests
    '198.51.100.1',
    '192.0.2.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '2606:4700::6810:84e5',
    '2001:db8::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows the public address %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it.each(['', 'localhost', '127.1', '2130706433', '0x7f000001', '010.0.0.1', '1.2.3.4.5', '[::1'])(
    'refuses %j, which is not a plain IP literal',
    (ip) => {
      expect(forbiddenReason(ip)).toBe('not a valid IP address');
    },
  );
});

describe('validateFeedUrl', () => {
  it.each([
    ['http://127.1:8080/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['http://[0:0:0:0:0:0:0:1]/', '[::1]'],
  ])('normalises the obfuscated literal %s to %s, which the address rules refuse', (raw, host) => {
    const url = validateFeedUrl(raw);
    expect(url.hostname).toBe(host);
    expect(isForbiddenAddress(host.replace(/^\[(.*)\]$/, '$1'))).toBe(true);
  });

  it('accepts an ordinary https feed URL, including an "@" in the path', () => {
    expect(validateFeedUrl('https://medium.com/feed/@someone?x=1').href).toBe('https://medium.com/feed/@someone?x=1');
  });

  it.each([
    ['file:///etc/passwd', 'only http and https feed URLs are allowed, not file:'],
    ['gopher://127.0.0.1:6379/_PING', 'only http and https feed URLs are allowed, not gopher:'],
    ['ftp://127.0.0.1/', 'only http and https feed URLs are allowed, not ftp:'],
    ['data:text/xml,<rss/>', 'only http and https feed URLs are allowed, not data:'],
    ['javascript:alert(1)', 'only http and https feed URLs are allowed, not javascript:'],
    ['http://user@127.0.0.1/', 'feed URLs must not contain a user name or password'],
    ['https://:pw@example.com/', 'feed URLs must not contain a user name or password'],
    ['http://public.test#@127.0.0.1/', 'the URL is ambiguous (an "@" in the fragment or a backslash)'],
    ['http://public.test\\@127.0.0.1/', 'the URL is ambiguous (an "@" in the fragment or a backslash)'],
    ['not a url', 'this is not a valid URL'],
    ['http://', 'this is not a valid URL'],
  ])('refuses %s as invalid-url', (raw, message) => {
    const error = captureError(() => validateFeedUrl(raw));
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ kind: 'invalid-url', message });
  });

  it('refuses a URL longer than 2048 characters and accepts one of exactly 2048', () => {
    const base = 'https://example.com/';
    const fits = base + 'a'.repeat(FEED_URL_MAX_LENGTH - base.length);
    expect(validateFeedUrl(fits).href).toBe(fits);
    expect(captureError(() => validateFeedUrl(`${fits}a`))).toMatchObject({
      kind: 'invalid-url',
      message: 'the URL is longer than 2048 characters',
    });
  });

  it('never repeats a password in its message', () => {
    const error = captureError(() => validateFeedUrl('https://bob:hunter2@example.com/feed'));
    expect(String(error)).not.toContain('hunter2');
  });
});

describe('parseAllowList', () => {
  const list = parseAllowList(' feeds.internal, Intranet.Example.  ,10.0.0.7,192.168.0.0/16, fd00::/8, [::1] ,');

  it('allows listed host names, ignoring case and a trailing dot', () => {
    expect(list.allowsHost('feeds.internal')).toBe(true);
    expect(list.allowsHost('FEEDS.internal.')).toBe(true);
    expect(list.allowsHost('intranet.example')).toBe(true);
    expect(list.allowsHost('sub.feeds.internal')).toBe(false);
    expect(list.allowsHost('internal')).toBe(false);
  });

  it('allows listed addresses and anything inside listed ranges', () => {
    expect(list.allowsAddress('10.0.0.7')).toBe(true);
    expect(list.allowsAddress('10.0.0.8')).toBe(false);
    expect(list.allowsAddress('192.168.44.1')).toBe(true);
    expect(list.allowsAddress('::ffff:192.168.44.1')).toBe(true);
    expect(list.allowsAddress('fd12::1')).toBe(true);
    expect(list.allowsAddress('::1')).toBe(true);
    expect(list.allowsAddress('127.0.0.1')).toBe(false);
    expect(list.allowsAddress('feeds.internal')).toBe(false);
  });

  it('is empty for an empty or blank setting', () => {
    expect(parseAllowList('').isEmpty).toBe(true);
    expect(parseAllowList(' , ,').isEmpty).toBe(true);
    expect(list.isEmpty).toBe(false);
  });

  it.each([
    ['feeds.internal, 10.0.0.0/33', 2],
    ['a..b', 1],
    ['ok.example,-bad.example', 2],
    ['10.0.0.0/8/1', 1],
    ['10.0.0.0/', 1],
    ['fd00::/129', 1],
    ['x, y, https://feeds.internal/', 3],
    ['x, y, z, hunter2 secret', 4],
  ])('rejects %j naming entry %i but not its text', (spec, position) => {
    const error = captureError(() => parseAllowList(spec));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `FEED_ALLOW_PRIVATE_HOSTS entry ${position} is not a host name, IP address or CIDR range`,
    );
  });
});

describe('isLocalhostName', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST.', true],
    ['api.localhost', true],
    ['localhost.example.com', false],
    ['notlocalhost', false],
  ])('%s → %s', (name, expected) => {
    expect(isLocalhostName(name)).toBe(expected);
  });
});

describe('F1: the SSRF refusal list, through the fetcher', () => {
  const QUICK = { headersTimeoutMs: 300, totalTimeoutMs: 600 };
  let canary: Canary;
  beforeAll(async () => (canary = await startCanary()));
  afterAll(() => canary.close());

  it('refuses all 32 URLs without opening a connection to the canary or leaving loopback', async () => {
    const dns = createStubDns();
    const { dials, dial } = loopbackOnlyDial();
    // Production default: an empty allow-list. Short timeouts so a broken guard fails fast (the
    // canary never answers) instead of hanging the test.
    const fetcher = createFeedFetcher({ lookup: dns.lookup, dial, ...QUICK });
    const P = canary.port;
    const blocked = (reason: string): { kind: string; message: string } => ({ kind: 'blocked', message: `refused: ${reason}` });
    const invalid = { kind: 'invalid-url' };
    const cases: Array<[string, { kind: string; message?: string }]> = [
      [`http://127.0.0.1:${P}/`, blocked('127.0.0.1 is a loopback address')],
      [`http://localhost:${P}/`, blocked('localhost always means this machine')],
      [`http://[::1]:${P}/`, blocked('::1 is a loopback address')],
      [`http://0.0.0.0:${P}/`, blocked('0.0.0.0 is an unspecified address')],
      [`http://0:${P}/`, blocked('0.0.0.0 is an unspecified address')],
      [`http://127.1:${P}/`, blocked('127.0.0.1 is a loopback address')],
      [`http://2130706433:${P}/`, blocked('127.0.0.1 is a loopback address')],
      [`http://0x7f000001:${P}/`, blocked('127.0.0.1 is a loopback address')],
      [`http://017700000001:${P}/`, blocked('127.0.0.1 is a loopback address')],
      [`http://[::ffff:127.0.0.1]:${P}/`, blocked('::ffff:7f00:1 is an IPv4-mapped address for 127.0.0.1, a loopback address')],
      [`http://[::ffff:7f00:1]:${P}/`, blocked('::ffff:7f00:1 is an IPv4-mapped address for 127.0.0.1, a loopback address')],
      [`http://[0:0:0:0:0:0:0:1]:${P}/`, blocked('::1 is a loopback address')],
      ['http://10.0.0.1/', blocked('10.0.0.1 is a private address')],
      ['http://172.16.0.1/', blocked('172.16.0.1 is a private address')],
      ['http://192.168.1.1/', blocked('192.168.1.1 is a private address')],
      ['http://100.64.0.1/', blocked('100.64.0.1 is a carrier-grade NAT (shared) address')],
      ['http://169.254.169.254/latest/meta-data/', blocked('169.254.169.254 is a link-local address')],
      ['http://[::ffff:169.254.169.254]/', blocked('::ffff:a9fe:a9fe is an IPv4-mapped address for 169.254.169.254, a link-local address')],
      ['http://[fd00:ec2::254]/', blocked('fd00:ec2::254 is a unique-local (private) address')],
      ['http://[fe80::1]/', blocked('fe80::1 is a link-local address')],
      ['http://[fc00::1]/', blocked('fc00::1 is a unique-local (private) address')],
      ['http://198.18.0.1/', blocked('198.18.0.1 is a benchmarking address')],
      ['http://224.0.0.1/', blocked('224.0.0.1 is a multicast address')],
      ['http://255.255.255.255/', blocked('255.255.255.255 is a broadcast address')],
      [`http://user@127.0.0.1:${P}/`, invalid],
      [`http://public.test#@127.0.0.1:${P}/`, invalid],
      ['file:///etc/passwd', invalid],
      ['gopher://127.0.0.1:6379/_PING', invalid],
      ['ftp://127.0.0.1/', invalid],
      ['data:text/xml,<rss/>', invalid],
      ['http://rebind.test/', blocked('rebind.test resolves to 127.0.0.1, a loopback address')],
      ['http://private.test/', blocked('private.test resolves to 10.0.0.5, a private address')],
    ];
    // The rebinding attack: a check made earlier (say when the feed was added) saw the public
    // answer; the fetch happens later and must judge the address it actually connects to.
    expect(await dns.lookup('rebind.test')).toEqual([{ address: '203.0.113.7', family: 4 }]);

    const outcomes = [];
    for (const [url] of cases) {
      const err = await failure(fetcher.fetch(url));
      outcomes.push([url, { kind: err.kind, ...(err.kind === 'blocked' ? { message: err.message } : {}) }]);
    }
    await fetcher.close();

    expect(cases).toHaveLength(32);
    expect(outcomes).toEqual(cases);
    expect(canary.connections).toBe(0);
    expect(dials).toEqual([]); // every refusal happened before a socket was opened
  });

  it('dials exactly the address it checked, so a later DNS answer cannot slip in between', async () => {
    const dns = createStubDns();
    const { dials, dial } = loopbackOnlyDial();
    const fetcher = createFeedFetcher({ lookup: dns.lookup, dial, ...QUICK });

    // First lookup says 203.0.113.7: the fetcher dials that (the hook aborts it: not loopback).
    expect((await failure(fetcher.fetch('http://rebind.test/'))).kind).toBe('network');
    // The next connection resolves afresh, gets 127.0.0.1, and is refused before dialling.
    expect(await failure(fetcher.fetch('http://rebind.test/'))).toMatchObject({
      kind: 'blocked',
      message: 'refused: rebind.test resolves to 127.0.0.1, a loopback address',
    });
    await fetcher.close();

    expect(dns.lookups).toEqual(['rebind.test', 'rebind.test']);
    expect(dials.map((d) => `${d.hostname} ${d.address}:${d.port}`)).toEqual(['rebind.test 203.0.113.7:80']);
    expect(canary.connections).toBe(0);
  });

  it('checks the connected socket again and hangs up when it reached a forbidden address', async () => {
    const sneaky = await startCanary();
    const seen: DialTarget[] = [];
    // Simulates a transparent proxy or NAT: the vetted target is public, the socket ends up on loopback.
    const dial: DialHook = (target, open) => {
      seen.push(target);
      return open({ ...target, address: '127.0.0.1', port: sneaky.port });
    };
    const fetcher = createFeedFetcher({ lookup: createStubDns().lookup, dial, ...QUICK });
    expect(await failure(fetcher.fetch('http://public.test/feed.xml'))).toMatchObject({
      kind: 'blocked',
      message: 'refused: the connection to public.test went to 127.0.0.1, a loopback address',
    });
    await fetcher.close();
    await sneaky.close();
    expect(seen.map((d) => d.address)).toEqual(['203.0.113.10']);
    expect(sneaky.bytesReceived).toBe(0); // not a byte of the request was sent
  });

  it('keeps secrets from the URL out of its error messages', async () => {
    const fetcher = createFeedFetcher({ lookup: createStubDns().lookup, dial: loopbackOnlyDial().dial, ...QUICK });
    const err = await failure(fetcher.fetch('http://10.0.0.1/feed?token=s3cret'));
    await fetcher.close();
    expect(err.message).toBe('refused: 10.0.0.1 is a private address');
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
