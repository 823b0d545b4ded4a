/**
 * The feed fetcher against FakeFeeds and a canary, per RELIABILITY.md §6.3 (F2-F4, F6, F7; F1 is
 * in address-guard.test.ts). Safety: nothing here may leave loopback. Names resolve through a
 * stub, and every dial goes through a hook that aborts it unless the vetted address is loopback.
 */
import { getEventListeners, once } from 'node:events';
import { connect } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../../src/feeds/address-guard.js';
import {
  createFeedFetcher,
  FEED_HEADERS_TIMEOUT_MS,
  FEED_MAX_BODY_BYTES,
  FEED_MAX_REDIRECTS,
  FEED_TOTAL_TIMEOUT_MS,
  parseRetryAfter,
  type DialHook,
    type FeedFetcher,
  type FeedFetcherOptions,
  } from '../../src/feeds/fetch.js';
import {
  createStubDns,
  loopbackOnlyDial,
  startCanary,
  startFakeFeeds,
  type Canary,
  type FakeFeeds,
  type StubDns,
} from '../fakes/fake-feeds.js';
import { failure } from '../support/fetch-failure.js';

const MiB = 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1']);
const RSS = '<rss version="2.0"><channel><title>T</title><item><title>Hello</title></item></channel></rss>';

/** Runs `fn` while sampling RSS every 2 ms; returns the peak growth in MiB and the duration. */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMiB: number; ms: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const start = performance.now();
  try {
    const result = await fn();
    return { result, ms: performance.now() - start, peakRssMiB: (Math.max(peak, process.memoryUsage().rss) - before) / MiB };
  } finally {
    clearInterval(sampler);
  }
}

function newFetcher(opts: FeedFetcherOptions = {}): FeedFetcher {
  return createFeedFetcher({ allowList: parseAllowList('127.0.0.1'), ...opts });
}

let fake: FakeFeeds;
let canary: Canary;
let fetcher: FeedFetcher;
let dns: StubDns;
let dialLog: ReturnType<typeof loopbackOnlyDial>;
beforeAll(async () => {
  fake = await startFakeFeeds();
  canary = await startCanary();
  dns = createStubDns();
  dialLog = loopbackOnlyDial();
  fetcher = newFetcher({ allowList: parseAllowList('feeds.test, 127.0.0.1'), lookup: dns.lookup, dial: dialLog.dial });
});
afterAll(async () => {
  await fetcher.close();
  await fake.close();
  await canary.close();
  expect(dialLog.dials.filter((d) => !LOOPBACK.has(d.address))).toEqual([]);
});

describe('F2: redirects', () => {
  it('refuses a redirect from an allow-listed host to a loopback address that is not allow-listed', async () => {
    const onlyByName = createFeedFetcher({ allowList: parseAllowList('feeds.test'), lookup: dns.lookup, dial: dialLog.dial });
    fake.redirect('/to-loopback', fake.url('/secret'));
    fake.redirect('/to-canary', canary.url('/'), 301);
    fake.route('/secret', { body: 'secret' });
    for (const path of ['/to-loopback', '/to-canary']) {
      expect(await failure(onlyByName.fetch(fake.url(path, 'feeds.test')))).toMatchObject({
        kind: 'blocked',
        message: 'refused: 127.0.0.1 is a loopback address',
      });
    }
    await onlyByName.close();
    expect(fake.requestCount('/secret')).toBe(0);
    expect(canary.connections).toBe(0);
  });

  it('refuses redirects to file: URLs and to names that resolve to private addresses', async () => {
    fake.redirect('/to-file', 'file:///etc/passwd');
    fake.redirect('/to-private', 'http://private.test/feed.xml', 307);
    expect(await failure(fetcher.fetch(fake.url('/to-file')))).toMatchObject({
      kind: 'blocked',
      message: `refused redirect from 127.0.0.1:${fake.port}: only http and https feed URLs are allowed, not file:`,
    });
    expect(await failure(fetcher.fetch(fake.url('/to-private')))).toMatchObject({
      kind: 'blocked',
      message: 'refused: private.test resolves to 10.0.0.5, a private address',
    });
  });

  it('refuses a downgrade from https to http but follows https to https', async () => {
    // No TLS server here: the hook hands undici a plain loopback socket for https URLs, so
    // the https redirect rules run exactly as they would against a real TLS server.
    const plainForHttps: DialHook = async (target, open) => {
      if (!LOOPBACK.has(target.address)) throw new Error('test: aborted a non-loopback dial');
      if (target.protocol === 'http:') return await open(target);
      const socket = connect(target.port, target.address);
      await once(socket, 'connect');
      return socket;
    };
    const tlsLess = createFeedFetcher({ allowList: parseAllowList('feeds.test'), lookup: dns.lookup, dial: plainForHttps });
    fake.redirect('/secure/old.xml', fake.url('/plain.xml', 'feeds.test'), 301);
    fake.redirect('/secure/moved.xml', '/secure/feed.xml', 308);
    fake.route('/secure/feed.xml', { body: RSS });
    const https = (path: string): string => fake.url(path, 'feeds.test').replace('http:', 'https:');

    expect(await failure(tlsLess.fetch(https('/secure/old.xml')))).toMatchObject({
      kind: 'blocked',
      message: `refused redirect from feeds.test:${fake.port}: https must not be downgraded to http`,
    });
    expect(await tlsLess.fetch(https('/secure/moved.xml'))).toMatchObject({
      kind: 'ok',
      finalUrl: https('/secure/feed.xml'),
      redirects: 1,
    });
    await tlsLess.close();
    expect(fake.requestCount('/plain.xml')).toBe(0);
  });

  it('follows a chain of 5 redirects (relative and absolute, 301/302/303/307/308)', async () => {
    const statuses = [301, 302, 303, 307, 308];
    statuses.forEach((status, i) => fake.redirect(`/five/${i}`, i % 2 ? `/five/${i + 1}` : fake.url(`/five/${i + 1}`), status));
    fake.route('/five/5', { body: RSS });
    const outcome = await fetcher.fetch(fake.url('/five/0'));
    expect(outcome).toMatchObject({ kind: 'ok', redirects: 5, finalUrl: fake.url('/five/5') });
  });

  it('stops a 6-hop chain after 5 redirects without requesting the target', async () => {
    for (let i = 0; i < 6; i += 1) fake.redirect(`/six/${i}`, `/six/${i + 1}`);
    fake.route('/six/6', { body: RSS });
    expect(await failure(fetcher.fetch(fake.url('/six/0')))).toMatchObject({
      kind: 'too-many-redirects',
      message: `gave up after ${FEED_MAX_REDIRECTS} redirects`,
    });
    expect(fake.requests.filter((r) => r.path.startsWith('/six/')).map((r) => r.path)).toEqual(
      ['/six/0', '/six/1', '/six/2', '/six/3', '/six/4', '/six/5'],
    );
  });

  it('stops a redirect loop at the hop limit', async () => {
    fake.redirect('/loop/a', '/loop/b');
    fake.redirect('/loop/b', '/loop/a');
    expect((await failure(fetcher.fetch(fake.url('/loop/a')))).kind).toBe('too-many-redirects');
    expect(fake.requestCount('/loop/a') + fake.requestCount('/loop/b')).toBe(FEED_MAX_REDIRECTS + 1);
  });
});

describe('F3: oversize bodies and bombs', () => {
  // `streaming`: the server is still sending when the fetcher gives up, so the connection must be
  // closed; a small complete response may stay open for reuse.
  it.each([
    ['a 50 MiB chunked body', true, (p: string) => fake.hugeBody(p, 50 * MiB)],
    ['a 50 MiB body with an honest Content-Length', true, (p: string) => fake.hugeBody(p, 50 * MiB, { contentLength: true })],
    ['a gzip bomb (10 MiB → 10 GiB)', true, (p: string) => fake.gzipBomb(p)],
    ['a brotli bomb (2 MiB → 10 GiB)', true, (p: string) => fake.brotliBomb(p)],
    ['a 50 KiB gzip body, true Content-Length, inflating to 50 MiB', false, (p: string) => fake.route(p, { body: Buffer.alloc(50 * MiB), gzip: true })],
  ])('stops %s at 5 MiB decoded, quickly and in little memory', async (name, streaming, setup) => {
    const path = `/big/${fake.requests.length}`;
    setup(path);
    await fetcher.fetch(fake.url(path)).catch(() => undefined); // warm-up: precomputed pieces, zlib

    const { result, ms, peakRssMiB } = await measured(() => failure(fetcher.fetch(fake.url(path))));
    expect(result).toMatchObject({ kind: 'too-large', message: `the feed is larger than ${FEED_MAX_BODY_BYTES} bytes` });
    expect(ms).toBeLessThan(2000);
    expect(peakRssMiB).toBeLessThan(64);
    if (streaming) await fake.whenConnectionClosed(path);
    console.info(`F3 ${name}: stopped after ${ms.toFixed(0)} ms, peak RSS growth ${peakRssMiB.toFixed(1)} MiB`);
  });

  it('accepts a body of exactly 5 MiB, decoded', async () => {
    fake.route('/exact.xml', { body: Buffer.alloc(FEED_MAX_BODY_BYTES, 'a'), gzip: true });
    const outcome = await fetcher.fetch(fake.url('/exact.xml'));
    expect(outcome.kind === 'ok' && outcome.body.length).toBe(FEED_MAX_BODY_BYTES);
  });

  it('reads only the declared bytes when Content-Length understates the body, then drops the connection', async () => {
    fake.lyingContentLength('/understated.xml', 1000, 50 * MiB);
    const { result, peakRssMiB } = await measured(() => fetcher.fetch(fake.url('/understated.xml')));
    expect(result.kind === 'ok' && result.body.length).toBe(1000);
    expect(peakRssMiB).toBeLessThan(64);
    await fake.whenConnectionClosed('/understated.xml');
  });

  it('fails when Content-Length overstates the body and the server hangs up', async () => {
    fake.lyingContentLength('/overstated.xml', 4 * MiB, 1000);
    expect(await failure(fetcher.fetch(fake.url('/overstated.xml')))).toMatchObject({ kind: 'network' });
  });
});

describe('F4: slow servers', () => {
  const fast = (): FeedFetcher => newFetcher({ headersTimeoutMs: 200, totalTimeoutMs: 600 });

  it('uses 10 s to headers and 20 s in total by default', () => {
    expect(FEED_HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(FEED_TOTAL_TIMEOUT_MS).toBe(20_000);
    expect(FEED_MAX_BODY_BYTES).toBe(5 * MiB);
    expect(FEED_MAX_REDIRECTS).toBe(5);
  });

  it('gives up when no headers arrive in time and closes the connection', async () => {
    const f = fast();
    fake.route('/no-headers.xml', { body: RSS, delayHeadersMs: 60_000 });
    const { result, ms } = await measured(() => failure(f.fetch(fake.url('/no-headers.xml'))));
    expect(result).toMatchObject({ kind: 'timeout', message: `127.0.0.1:${fake.port}: no response headers within 0.2 s` });
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(1000);
    await fake.whenConnectionClosed('/no-headers.xml');
    await f.close();
  });

  it('gives up on a body sent at 1 byte per second', async () => {
    const f = fast();
    fake.route('/one-bps.xml', { body: RSS, bytesPerSecond: 1 });
    const { result, ms } = await measured(() => failure(f.fetch(fake.url('/one-bps.xml'))));
    expect(result.kind).toBe('timeout');
    expect(ms).toBeLessThan(1000);
    await fake.whenConnectionClosed('/one-bps.xml');
    await f.close();
  });

  it('stops a steady trickle that never pauses long at the total deadline', async () => {
    const f = fast();
    fake.route('/trickle.xml', { body: 'x'.repeat(10_000), bytesPerSecond: 200 });
    const { result, ms } = await measured(() => failure(f.fetch(fake.url('/trickle.xml'))));
    expect(result).toMatchObject({ kind: 'timeout', message: 'no complete response within 0.6 s' });
    expect(ms).toBeGreaterThanOrEqual(590);
    expect(ms).toBeLessThan(1500);
    await fake.whenConnectionClosed('/trickle.xml');
    await f.close();
  });

  it('gives up on a DNS lookup that never answers', async () => {
    const f = newFetcher({ lookup: dns.lookup, headersTimeoutMs: 200, totalTimeoutMs: 600 });
    expect((await failure(f.fetch('http://hanging.test/feed.xml'))).kind).toBe('timeout');
    await f.close();
  });

  it("rejects with the caller's abort reason", async () => {
    fake.route('/parked.xml', { body: RSS, delayHeadersMs: 60_000 });
    const controller = new AbortController();
    const pending = fetcher.fetch(fake.url('/parked.xml'), { signal: controller.signal });
    await fake.waitForRequests('/parked.xml');
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
    await expect(fetcher.fetch(fake.url('/parked.xml'), { signal: controller.signal })).rejects.toThrow('shutting down');
    expect(fake.requestCount('/parked.xml')).toBe(1);
  });

  it("leaves no listener behind on a long-lived caller's signal", async () => {
    const shutdown = new AbortController();
    fake.route('/quick.xml', { body: RSS });
    for (let i = 0; i < 20; i += 1) await fetcher.fetch(fake.url('/quick.xml'), { signal: shutdown.signal });
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });
});

describe('F6: conditional GET and politeness', () => {
  it('sends the validators back and turns a 304 into not-modified, then sees a changed feed', async () => {
    fake.setFeed('/cond.xml', RSS);
    const first = await fetcher.fetch(fake.url('/cond.xml'));
    if (first.kind !== 'ok') throw new Error('expected a 200');
    expect(first.etag).toMatch(/^".+"$/);
    expect(first.lastModified).toMatch(/GMT$/);

    const second = await fetcher.fetch(fake.url('/cond.xml'), { etag: first.etag, lastModified: first.lastModified });
    expect(second).toEqual({ kind: 'not-modified', etag: first.etag, lastModified: first.lastModified });
    const sent = fake.requests.filter((r) => r.path === '/cond.xml')[1]!.headers;
    expect(sent['if-none-match']).toBe(first.etag);
    expect(sent['if-modified-since']).toBe(first.lastModified);

    fake.setFeed('/cond.xml', RSS.replace('Hello', 'News'));
    const third = await fetcher.fetch(fake.url('/cond.xml'), { etag: first.etag, lastModified: first.lastModified });
    expect(third.kind === 'ok' && third.body.toString()).toContain('News');
    expect(third.kind === 'ok' && third.etag).not.toBe(first.etag);
  });

  it('answers not-modified on Last-Modified alone and keeps the caller validators when a 304 omits them', async () => {
    fake.route('/lm.xml', { body: RSS, lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' });
    expect(await fetcher.fetch(fake.url('/lm.xml'), { lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' })).toEqual({
      kind: 'not-modified',
      lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT',
    });
    fake.route('/bare-304.xml', (_req, res) => void res.writeHead(304).end());
    expect(await fetcher.fetch(fake.url('/bare-304.xml'), { etag: '"v1"' })).toEqual({ kind: 'not-modified', etag: '"v1"' });
  });

  it('reads max-age from Cache-Control on 200 and 304', async () => {
    fake.route('/cached.xml', { body: RSS, etag: '"c"', headers: { 'cache-control': 'public, max-age=300' } });
    expect(await fetcher.fetch(fake.url('/cached.xml'))).toMatchObject({ kind: 'ok', maxAgeSeconds: 300 });
    expect(await fetcher.fetch(fake.url('/cached.xml'), { etag: '"c"' })).toMatchObject({ kind: 'not-modified', maxAgeSeconds: 300 });
  });

  it('identifies itself and asks for feeds and compression', async () => {
    fake.route('/ua.xml', { body: RSS });
    await fetcher.fetch(fake.url('/ua.xml'));
    const headers = fake.requests.find((r) => r.path === '/ua.xml')!.headers;
    expect(headers['user-agent']).toBe('Newshound/0.1 (+self-hosted news-alert bot)');
    expect(headers.accept).toBe('application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5');
    expect(headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('opens at most 2 connections to one host however many fetches run at once', async () => {
    const busy = await startFakeFeeds();
    busy.route('/slow.xml', { body: RSS, delayHeadersMs: 30 });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => fetcher.fetch(busy.url('/slow.xml'))));
    expect(outcomes.every((o) => o.kind === 'ok')).toBe(true);
    expect(busy.peakOpenConnections).toBe(2);
    await busy.close();
  });

  it.each(['gzip', 'deflate', 'deflate-raw', 'br'] as const)('decodes a %s body', async (encoding) => {
    fake.route(`/enc/${encoding}`, { body: RSS, encoding });
    const outcome = await fetcher.fetch(fake.url(`/enc/${encoding}`));
    expect(outcome.kind === 'ok' && outcome.body.toString()).toBe(RSS);
  });

  it('fails plainly on a corrupt or unsupported encoding', async () => {
    fake.route('/corrupt.xml', { body: RSS, headers: { 'content-encoding': 'gzip' } });
    fake.route('/zstd.xml', { body: RSS, headers: { 'content-encoding': 'zstd' } });
    expect(await failure(fetcher.fetch(fake.url('/corrupt.xml')))).toMatchObject({
      kind: 'network',
      message: `127.0.0.1:${fake.port}: the compressed body is corrupt`,
    });
    expect(await failure(fetcher.fetch(fake.url('/zstd.xml')))).toMatchObject({
      message: 'the server used an unsupported Content-Encoding (zstd)',
    });
    expect(zlib.gunzipSync(zlib.gzipSync(RSS)).toString()).toBe(RSS); // the fake's gzip is sound
  });

  it('reaches a private host allow-listed by name or by CIDR range', async () => {
    fake.route('/allowed.xml', { body: RSS });
    expect(await fetcher.fetch(fake.url('/allowed.xml', 'feeds.test'))).toMatchObject({ kind: 'ok', status: 200 });
    const byRange = newFetcher({ allowList: parseAllowList('127.0.0.0/8') });
    expect(await byRange.fetch(fake.url('/allowed.xml'))).toMatchObject({ kind: 'ok' });
    await byRange.close();
  });
});

describe('F7: rate limits and HTTP errors', () => {
  it.each([
    [429, { 'retry-after': '120' }, 120_000],
    [503, { 'retry-after': '120' }, 120_000],
    [429, {}, undefined],
  ])('turns %i with %j into rate-limited (retry after %s ms)', async (status, headers, retryAfterMs) => {
    const path = `/limited/${status}/${retryAfterMs}`;
    fake.route(path, { status, headers, body: 'slow down' });
    expect(await failure(fetcher.fetch(fake.url(path)))).toMatchObject({ kind: 'rate-limited', status, retryAfterMs });
  });

  it('reads an HTTP-date Retry-After', async () => {
    fake.route('/limited-date.xml', { status: 503, headers: { 'retry-after': new Date(Date.now() + 90_000).toUTCString() } });
    const err = await failure(fetcher.fetch(fake.url('/limited-date.xml')));
    expect(err).toMatchObject({ kind: 'rate-limited', status: 503 });
    expect(err.retryAfterMs).toBeGreaterThan(88_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('reports other statuses as http errors without the path or query', async () => {
    fake.route('/gone.xml', { status: 410, body: 'gone' });
    expect(await failure(fetcher.fetch(fake.url('/missing.xml?token=s3cret')))).toMatchObject({
      kind: 'http',
      status: 404,
      message: `127.0.0.1:${fake.port} answered 404 Not Found`,
    });
    expect(await failure(fetcher.fetch(fake.url('/gone.xml')))).toMatchObject({ kind: 'http', status: 410 });
  });

  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7_000],
    ['Thu, 01 Jan 2026 00:02:00 GMT', 120_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('parseRetryAfter(%j) is %s ms', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('2026-01-01T00:00:00Z'))).toBe(expected);
  });
});
