/**
 * FakeFeeds: a feed server on 127.0.0.1 for every test that fetches feeds.
 *
 * ```ts
 * const fake = await startFakeFeeds();
 * fake.setFeed('/news.xml', rssXml);          // 200 with ETag + Last-Modified, 304 when they match
 * fake.route('/busy.xml', { status: 429, headers: { 'retry-after': '120' } });
 * fake.redirect('/old.xml', '/news.xml', 301);
 * await fetcher.fetch(fake.url('/news.xml'));  // or fake.url('/news.xml', 'feeds.test') for a named host
 * fake.route('/stuck.xml', { body: rssXml, delayHeadersMs: 60_000 });   // or bytesPerSecond: 1
 * fake.requestCount('/news.xml'); fake.requests[0].headers['if-none-match'];
 * await fake.close();
 * ```
 * Hostile bodies (huge, gzip/brotli bombs, slow, lying Content-Length) are streamed with
 * backpressure from small precomputed pieces, so a "10 GiB" bomb costs the test process nothing
 * beyond what the client actually reads. Also here: `startCanary()` (a listener that only counts
 * connections), `createStubDns()` and `loopbackOnlyDial()` (fetcher test hooks that keep every
 * test on loopback).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { DialHook, DialTarget, HostLookup } from '../../src/feeds/fetch.js';

const MiB = 1024 * 1024;

/** A canned response. `etag`/`lastModified` make matching conditional requests get a bodiless 304. */
export interface RouteSpec {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  etag?: string;
  lastModified?: string;
  /** Shorthand for `encoding: 'gzip'`. */
  gzip?: boolean;
  /** Compress the body and send `Content-Encoding`; `deflate-raw` is raw deflate labelled `deflate`. */
  encoding?: 'gzip' | 'deflate' | 'deflate-raw' | 'br';
  /** Wait this long before sending anything (no headers, no body). */
  delayHeadersMs?: number;
  /** Send the body at this rate, one small write at a time. */
  bytesPerSecond?: number;
}

/** Full control: answer however you like (or write raw bytes to `req.socket`). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One request as the server saw it. `path` includes the query string. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Arrival time, epoch ms. */
  at: number;
}

export interface FakeFeeds {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Absolute URL for `path`; pass `host` to address the server by a (stub-resolved) name. */
  url(path: string, host?: string): string;
  /** Serves `path` (exact match on path + query, else on path alone); replaces any earlier route. */
  route(path: string, spec: RouteSpec | RouteHandler): void;
  /** Serves `xml` as RSS with a fresh ETag and Last-Modified; call again to change the feed between polls. */
  setFeed(path: string, xml: string, extra?: Omit<RouteSpec, 'body' | 'etag' | 'lastModified'>): void;
  /** Answers `status` with `Location: to` (relative or absolute). */
  redirect(from: string, to: string, status?: number): void;
  /** Streams `bytes` of XML-ish filler, chunked unless `contentLength` is true. */
  hugeBody(path: string, bytes: number, opts?: { contentLength?: boolean }): void;
  /** Concatenated gzip members of 1 MiB of zeros each: about 1 KiB on the wire per MiB decoded. */
  gzipBomb(path: string, decodedBytes?: number): void;
  /** One brotli stream of zeros: about 190 bytes on the wire per MiB decoded. */
  brotliBomb(path: string, decodedBytes?: number): void;
  /** Raw response declaring `Content-Length: declared` and then sending `actual` bytes before closing. */
  lyingContentLength(path: string, declared: number, actual: number): void;
  /** Requests so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Requests whose path (query ignored) is `path`. */
  requestCount(path: string): number;
  /** Resolves once `requestCount(path) >= count`. */
  waitForRequests(path: string, count?: number): Promise<void>;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** TCP connections open right now, and the most that were ever open at once. */
  readonly openConnections: number;
  readonly peakOpenConnections: number;
  /** Resolves once no client connection is open (idle keep-alive connections count as open). */
  whenNoConnections(): Promise<void>;
  /** Resolves once the connection that carried the latest request for `path` is closed. */
  whenConnectionClosed(path: string): Promise<void>;
  /** Stops listening and destroys every socket and pending timer. */
  close(): Promise<void>;
}

/** Starts a {@link FakeFeeds} on 127.0.0.1 and a random free port. */
export async function startFakeFeeds(): Promise<FakeFeeds> {
  const routes = new Map<string, RouteHandler>();
  const requests: RecordedRequest[] = [];
  const lastSocketFor = new Map<string, Socket>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();
  let connections = 0;
  let peak = 0;
  const notify = (): void => {
    for (const w of waiters) w();
  };
  const waitUntil = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, at: Date.now() });
    lastSocketFor.set(path.split('?')[0]!, req.socket);
    notify();
    const handler = routes.get(path) ?? routes.get(path.split('?')[0]!);
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such fake feed');
      return;
    }
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    peak = Math.max(peak, sockets.size);
    socket.once('close', () => {
      sockets.delete(socket);
      notify();
    });
    notify();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  // Streams with backpressure; a client hanging up mid-way is expected, not an error.
  const stream = (to: Writable, pieces: Iterable<Buffer>): Promise<void> =>
    pipeline(Readable.from(pieces, { objectMode: false }), to).catch(() => undefined);
  let lastModifiedClock = 0;

  const fake: FakeFeeds = {
    origin: `http://127.0.0.1:${port}`,
    port,
    url: (path, host = '127.0.0.1') => `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    route(path, spec) {
      routes.set(path, typeof spec === 'function' ? spec : cannedResponse(spec, later));
    },
    setFeed(path, xml, extra = {}) {
      const etag = `"${createHash('sha1').update(xml).digest('hex').slice(0, 16)}"`;
      // Last-Modified has 1 s resolution; make each change visibly newer than the previous one.
      lastModifiedClock = Math.max(Date.now(), lastModifiedClock + 1000);
      const lastModified = new Date(lastModifiedClock).toUTCString();
      fake.route(path, { ...extra, body: xml, etag, lastModified });
    },
    redirect(from, to, status = 302) {
      fake.route(from, (_req, res) => {
        res.writeHead(status, { location: to }).end();
      });
    },
    hugeBody(path, bytes, opts = {}) {
      const unit = Buffer.alloc(64 * 1024, '<item><title>filler</title></item>\n');
      fake.route(path, (_req, res) => {
        const headers: Record<string, string> = { 'content-type': 'application/rss+xml' };
        if (opts.contentLength === true) headers['content-length'] = String(bytes);
        res.writeHead(200, headers);
        return stream(res, repeatBytes(unit, bytes));
      });
    },
    gzipBomb(path, decodedBytes = 10 * 1024 * MiB) {
      const member = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });
      fake.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        return stream(res, repeatPieces(member, Math.ceil(decodedBytes / MiB)));
      });
    },
    brotliBomb(path, decodedBytes = 10 * 1024 * MiB) {
      fake.route(path, async (_req, res) => {
        const { head, repeat, tail } = await brotliZeroPieces();
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' });
        return stream(
          res,
          (function* () {
            yield head;
            yield* repeatPieces(repeat, Math.ceil(decodedBytes / MiB) - 1);
            yield tail;
          })(),
        );
      });
    },
    lyingContentLength(path, declared, actual) {
      fake.route(path, (req) => {
        // Node's ServerResponse refuses to send more than Content-Length; write the raw socket.
        req.socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml\r\ncontent-length: ${declared}\r\n\r\n`);
        return stream(req.socket, repeatBytes(Buffer.alloc(64 * 1024, 'x'), actual));
      });
    },
    get requests() {
      return requests;
    },
    requestCount: (path) => requests.filter((r) => r.path.split('?')[0] === path).length,
    waitForRequests: (path, count = 1) => waitUntil(() => fake.requestCount(path) >= count),
    get connections() {
      return connections;
    },
    get openConnections() {
      return sockets.size;
    },
    get peakOpenConnections() {
      return peak;
    },
    whenNoConnections: () => waitUntil(() => sockets.size === 0),
    whenConnectionClosed(path) {
      const socket = lastSocketFor.get(path);
      if (socket === undefined) return Promise.reject(new Error(`no request for ${path} yet`));
      return waitUntil(() => !sockets.has(socket));
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** The handler for a {@link RouteSpec}; `later` schedules timers that `close()` can cancel. */
function cannedResponse(spec: RouteSpec, later: (ms: number, fn: () => void) => void): RouteHandler {
  const encoding = spec.encoding ?? (spec.gzip === true ? 'gzip' : undefined);
  const raw = Buffer.from(spec.body ?? '');
  const body = encoding === undefined ? raw : ENCODERS[encoding](raw); // once per route, not per request
  const headers: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8', ...spec.headers };
  if (spec.etag !== undefined) headers.etag = spec.etag;
  if (spec.lastModified !== undefined) headers['last-modified'] = spec.lastModified;
  if (encoding !== undefined) headers['content-encoding'] = encoding === 'deflate-raw' ? 'deflate' : encoding;

  const respond = (req: IncomingMessage, res: ServerResponse): void => {
    if (notModified(spec, req.headers)) {
      const validators: Record<string, string> = {};
      if (spec.etag !== undefined) validators.etag = spec.etag;
      if (spec.lastModified !== undefined) validators['last-modified'] = spec.lastModified;
      res.writeHead(304, { ...spec.headers, ...validators }).end();
      return;
    }
    const rate = spec.bytesPerSecond;
    if (rate === undefined) {
      res.writeHead(spec.status ?? 200, { ...headers, 'content-length': String(body.length) }).end(body);
      return;
    }
    res.writeHead(spec.status ?? 200, headers);
    const step = Math.max(1, Math.round(rate / 20)); // about 20 writes per second
    const drip = (offset: number): void => {
      if (res.destroyed) return;
      if (offset >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(offset, offset + step));
      later((1000 * step) / rate, () => drip(offset + step));
    };
    drip(0);
  };
  return (req, res) => {
    if (spec.delayHeadersMs === undefined) respond(req, res);
    else later(spec.delayHeadersMs, () => (res.destroyed ? undefined : respond(req, res)));
  };
}

/** `total` bytes as slices of `unit`, produced lazily. */
function* repeatBytes(unit: Buffer, total: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += unit.length) yield unit.subarray(0, Math.min(unit.length, total - sent));
}

/** `piece`, `count` times, produced lazily. */
function* repeatPieces(piece: Buffer, count: number): Generator<Buffer> {
  for (let i = 0; i < count; i += 1) yield piece;
}

function notModified(spec: RouteSpec, headers: IncomingHttpHeaders): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    // RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since; weak comparison.
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return spec.etag !== undefined && (tags.includes('*') || tags.includes(spec.etag.replace(/^W\//, '')));
  }
  const ims = headers['if-modified-since'];
  if (ims === undefined || spec.lastModified === undefined) return false;
  return Date.parse(spec.lastModified) <= Date.parse(ims);
}

const ENCODERS: Record<NonNullable<RouteSpec['encoding']>, (body: Buffer) => Buffer> = {
  gzip: (b) => zlib.gzipSync(b),
  deflate: (b) => zlib.deflateSync(b),
  'deflate-raw': (b) => zlib.deflateRawSync(b),
  br: (b) => zlib.brotliCompressSync(b),
};

let brotliPieces: Promise<{ head: Buffer; repeat: Buffer; tail: Buffer }> | undefined;

/**
 * A brotli stream of zeros in pieces: `head` (the first MiB), `repeat` (each further MiB) and
 * `tail` (end of stream). Flushed after every MiB, the encoder's output for a MiB of zeros is the
 * same byte string each time (it only copies from an all-zero window), so repeating it is valid.
 */
function brotliZeroPieces(): Promise<{ head: Buffer; repeat: Buffer; tail: Buffer }> {
  brotliPieces ??= (async () => {
    const encoder = zlib.createBrotliCompress({
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
    });
    let out: Buffer[] = [];
    encoder.on('data', (d: Buffer) => out.push(d));
    const take = (): Buffer => {
      const piece = Buffer.concat(out);
      out = [];
      return piece;
    };
    const flushMiB = async (): Promise<Buffer> => {
      encoder.write(Buffer.alloc(MiB));
      await new Promise<void>((resolve) => encoder.flush(zlib.constants.BROTLI_OPERATION_FLUSH, resolve));
      return take();
    };
    const head = await flushMiB();
    const repeat = await flushMiB();
    if (!repeat.equals(await flushMiB())) throw new Error('brotli output for zeros is not stable; cannot stream a bomb');
    encoder.end();
    await once(encoder, 'end');
    return { head, repeat, tail: take() };
  })();
  return brotliPieces;
}

/** A TCP listener on 127.0.0.1 that only counts: any connection to it means a guard failed. */
export interface Canary {
  readonly port: number;
  /** `http://127.0.0.1:PORT` + path */
  url(path?: string): string;
  readonly connections: number;
  readonly bytesReceived: number;
  close(): Promise<void>;
}

/** Starts a {@link Canary}. Connections are held open (never answered) until `close()`. */
export async function startCanary(): Promise<Canary> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytesReceived = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', (d: Buffer) => (bytesReceived += d.length));
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    get connections() {
      return connections;
    },
    get bytesReceived() {
      return bytesReceived;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A stub resolver and the names it was asked for, in order. */
export interface StubDns {
  lookup: HostLookup;
  readonly lookups: string[];
}

/**
 * Stub DNS for fetcher tests; no query ever leaves the process. `feeds.test` → 127.0.0.1 (allow-list
 * it to reach FakeFeeds by name), `public.test` → 203.0.113.10, `private.test` → 10.0.0.5,
 * `localhost` → 127.0.0.1 and ::1, `rebind.test` → 203.0.113.7 on the first lookup and 127.0.0.1
 * after that, `hanging.test` never answers; `extra` adds names; anything else is ENOTFOUND.
 */
export function createStubDns(extra: Record<string, string[]> = {}): StubDns {
  const lookups: string[] = [];
  const table: Record<string, string[]> = {
    'feeds.test': ['127.0.0.1'],
    'public.test': ['203.0.113.10'],
    'private.test': ['10.0.0.5'],
    localhost: ['127.0.0.1', '::1'],
    ...extra,
  };
  const lookup: HostLookup = async (host) => {
    lookups.push(host);
    if (host === 'hanging.test') return await new Promise<never>(() => undefined);
    const firstRebind = lookups.filter((h) => h === 'rebind.test').length === 1;
    const answers = host === 'rebind.test' ? [firstRebind ? '203.0.113.7' : '127.0.0.1'] : table[host];
    if (answers === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, lookups };
}

/**
 * A fetcher `dial` hook that records every dial and performs only those to loopback. Any other
 * dial is aborted before a socket exists, so a broken guard shows up in `dials`, never on the wire.
 */
export function loopbackOnlyDial(): { dials: DialTarget[]; dial: DialHook } {
  const dials: DialTarget[] = [];
  return {
    dials,
    dial: async (target, open) => {
      dials.push(target);
      if (target.address !== '127.0.0.1' && target.address !== '::1') {
        throw new Error(`test: aborted a dial to ${target.address}, which is not loopback`);
      }
      return await open(target);
    },
  };
}
