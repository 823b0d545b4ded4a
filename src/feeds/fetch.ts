/**
 * The feed HTTP client: conditional GET with an SSRF guard at connect time, manual redirects,
 * decoded-size cap and hard timeouts. Every limit comes from DESIGN.md (Security) and
 * RELIABILITY.md §6.3 (F1-F4, F6, F7).
 */
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import {
  assertAllowed,
  createGuardedConnector,
  parseAllowList,
  validateFeedUrl,
  type AllowList,
  type DialHook,
  type HostLookup,
} from './address-guard.js';

export type { DialHook, DialTarget, HostLookup } from './address-guard.js';

/** Time allowed per request until the response headers are in (connect and DNS included). */
export const FEED_HEADERS_TIMEOUT_MS = 10_000;
/** Time allowed for a whole fetch, redirects and body included. */
export const FEED_TOTAL_TIMEOUT_MS = 20_000;
/** Largest body accepted, counted after decompression. */
export const FEED_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Redirects followed before giving up. */
export const FEED_MAX_REDIRECTS = 5;
/** Concurrent connections per origin. */
export const FEED_MAX_CONNECTIONS_PER_HOST = 2;
/** Sent with every request so feed operators can tell who is polling. */
export const FEED_USER_AGENT = 'Newshound/0.1 (+self-hosted news-alert bot)';
/** Sent with every request: feeds first, any XML next, anything else last. */
export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/** What went wrong, in categories a caller can act on (retry, back off, disable, tell the user). */
export type FetchErrorKind =
  | 'invalid-url'
  | 'blocked'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'http'
  | 'rate-limited'
  | 'network';

/**
 * A failed fetch. The message is plain words for logs and users; it never contains the URL's
 * path, query or credentials.
 */
export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  /** HTTP status, for kinds `http` and `rate-limited`. */
  readonly status?: number;
  /** From `Retry-After` on a 429/503, when the server sent a usable one. */
  readonly retryAfterMs?: number;

  constructor(
    kind: FetchErrorKind,
    message: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'FetchError';
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** Validators from the previous successful fetch, for a conditional GET. */
export interface FetchFeedOptions {
  etag?: string;
  lastModified?: string;
  /** Aborting rejects the fetch with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A fetch that got an answer. `not-modified` repeats the validators the caller should keep
 * (the server's new ones if it sent any, else the ones the caller passed in).
 */
export type FetchOutcome =
  | {
      kind: 'ok';
      status: number;
      body: Buffer;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** The URL that answered, after redirects. Not to be stored as the feed's URL (F2). */
      finalUrl: string;
      redirects: number;
      maxAgeSeconds?: number;
    }
  | { kind: 'not-modified'; etag?: string; lastModified?: string; maxAgeSeconds?: number };

/** Fetches feed documents; one instance holds one connection pool. */
export interface FeedFetcher {
  /** GETs `url`; rejects with {@link FetchError} (or the caller's abort reason). */
  fetch(url: string, opts?: FetchFeedOptions): Promise<FetchOutcome>;
  /** Lets in-flight fetches finish, then closes every connection. */
  close(): Promise<void>;
}

/** Everything injectable; all limits default to the FEED_* constants. */
export interface FeedFetcherOptions {
  /** Operator exceptions (`FEED_ALLOW_PRIVATE_HOSTS`); empty by default. */
  allowList?: AllowList;
  userAgent?: string;
  accept?: string;
  /** Default: the system resolver (`dns.promises.lookup`). */
  lookup?: HostLookup;
  headersTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  maxConnectionsPerHost?: number;
  /** Test hook, see {@link DialHook}. */
  dial?: DialHook;
}

interface Context {
  agent: Agent;
  allowList: AllowList;
  headers: Record<string, string>;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SUPPORTED_CODINGS = new Set(['identity', 'gzip', 'x-gzip', 'deflate', 'br']);
const DISCARD_LIMIT_BYTES = 64 * 1024;

/** Creates a fetcher with its own connection pool; call `close()` when done. */
export function createFeedFetcher(opts: FeedFetcherOptions = {}): FeedFetcher {
  const allowList = opts.allowList ?? parseAllowList('');
  const headersTimeoutMs = opts.headersTimeoutMs ?? FEED_HEADERS_TIMEOUT_MS;
  const agent = new Agent({
    connect: createGuardedConnector({ allowList, lookup: opts.lookup, dial: opts.dial, timeoutMs: headersTimeoutMs }),
    connections: opts.maxConnectionsPerHost ?? FEED_MAX_CONNECTIONS_PER_HOST,
    // Backstops only: undici's timers tick at ~1 s and bodyTimeout is idle time between chunks,
    // so fetchFeed runs its own headers and total deadlines.
    headersTimeout: headersTimeoutMs,
    bodyTimeout: headersTimeoutMs,
  });
  const ctx: Context = {
    agent,
    allowList,
    headers: {
      'user-agent': opts.userAgent ?? FEED_USER_AGENT,
      accept: opts.accept ?? FEED_ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    },
    headersTimeoutMs,
    totalTimeoutMs: opts.totalTimeoutMs ?? FEED_TOTAL_TIMEOUT_MS,
    maxBodyBytes: opts.maxBodyBytes ?? FEED_MAX_BODY_BYTES,
    maxRedirects: opts.maxRedirects ?? FEED_MAX_REDIRECTS,
  };
  return {
    fetch: (url, fetchOpts = {}) => fetchFeed(ctx, url, fetchOpts),
    close: () => agent.close(),
  };
}

async function fetchFeed(ctx: Context, rawUrl: string, opts: FetchFeedOptions): Promise<FetchOutcome> {
  let url = validateFeedUrl(rawUrl);
  // One controller per fetch, fed by the deadlines and the caller's signal. Not AbortSignal.any():
  // with a long-lived caller signal it leaks on some Node versions (nodejs/node#55351).
  const abort = new AbortController();
  const { signal } = abort;
  const cancelTotal = after(ctx.totalTimeoutMs, () =>
    abort.abort(new FetchError('timeout', `no complete response within ${seconds(ctx.totalTimeoutMs)}`)),
  );
  const onCallerAbort = (): void => abort.abort(opts.signal?.reason);
  if (opts.signal?.aborted === true) onCallerAbort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const headers = { ...ctx.headers };
  if (opts.etag !== undefined) headers['if-none-match'] = opts.etag;
  if (opts.lastModified !== undefined) headers['if-modified-since'] = opts.lastModified;
  try {
    for (let redirects = 0; ; redirects += 1) {
      // The connector checks this too; refusing here avoids creating a pool for the origin.
      const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
      if (isIP(literal) !== 0) assertAllowed(literal, ctx.allowList, undefined, `${literal} is`);

      const host = url.host;
      const cancelHeaders = after(ctx.headersTimeoutMs, () =>
        abort.abort(new FetchError('timeout', `${host}: no response headers within ${seconds(ctx.headersTimeoutMs)}`)),
      );
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, { dispatcher: ctx.agent, method: 'GET', headers, signal });
      } finally {
        cancelHeaders();
      }
      try {
        if (!REDIRECT_STATUSES.has(res.statusCode)) return await finish(ctx, res, url, redirects, opts);
        await res.body.dump({ limit: DISCARD_LIMIT_BYTES });
      } catch (err) {
        // Abandon the body: undici then closes the socket instead of leaving it half-read.
        res.body.on('error', () => undefined).destroy();
        throw err;
      }
      if (redirects >= ctx.maxRedirects) {
        throw new FetchError('too-many-redirects', `gave up after ${ctx.maxRedirects} redirects`);
      }
      url = redirectTarget(url, header(res.headers, 'location'), res.statusCode);
    }
  } catch (err) {
    throw err instanceof FetchError || !signal.aborted ? describeFailure(err, url) : signal.reason;
  } finally {
    cancelTotal();
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function finish(
  ctx: Context,
  res: Dispatcher.ResponseData,
  url: URL,
  redirects: number,
  opts: FetchFeedOptions,
): Promise<FetchOutcome> {
  const status = res.statusCode;
  const etag = header(res.headers, 'etag');
  const lastModified = header(res.headers, 'last-modified');
  const maxAgeSeconds = parseMaxAge(header(res.headers, 'cache-control'));
  if (status < 200 || status > 299) {
    await res.body.dump({ limit: DISCARD_LIMIT_BYTES });
    if (status === 304) {
      return { kind: 'not-modified', etag: etag ?? opts.etag, lastModified: lastModified ?? opts.lastModified, maxAgeSeconds };
    }
    const answered = `${url.host} answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
    if (status === 429 || status === 503) {
      const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'));
      const when = retryAfterMs === undefined ? '' : `; retry after ${seconds(retryAfterMs)}`;
      throw new FetchError('rate-limited', answered + when, { status, retryAfterMs });
    }
    throw new FetchError('http', answered, { status });
  }
  const body = await readBody(res.body, header(res.headers, 'content-encoding'), header(res.headers, 'content-length'), ctx.maxBodyBytes);
  const contentType = header(res.headers, 'content-type');
  return { kind: 'ok', status, body, contentType, etag, lastModified, finalUrl: url.href, redirects, maxAgeSeconds };
}

/** Reads the body, decoding it ourselves so the cap counts decoded bytes (a gzip bomb stops at the cap). */
async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  contentLength: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const coding = (contentEncoding ?? 'identity').trim().toLowerCase() || 'identity';
  if (!SUPPORTED_CODINGS.has(coding)) {
    throw new FetchError('network', `the server used an unsupported Content-Encoding (${coding.slice(0, 40)})`);
  }
  const tooLarge = (): FetchError => new FetchError('too-large', `the feed is larger than ${maxBytes} bytes`);
  // Only a shortcut: a smaller Content-Length is never trusted, the counters below are.
  if (coding === 'identity' && Number(contentLength) > maxBytes) throw tooLarge();

  const source = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await source.next();
  if (first.done === true) return Buffer.alloc(0);
  let wireBytes = 0;
  async function* wire(): AsyncGenerator<Buffer> {
    for (let next = first; next.done !== true; next = await source.next()) {
      wireBytes += next.value.length;
      if (wireBytes > maxBytes) throw tooLarge();
      yield next.value;
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  async function collect(decoded: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of decoded) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  }
  const decoder = createDecoder(coding, first.value);
  await (decoder === undefined ? pipeline(wire, collect) : pipeline(wire, decoder, collect));
  return Buffer.concat(chunks, size);
}

function createDecoder(coding: string, firstChunk: Buffer): Transform | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'deflate':
      // RFC 9110 §8.4.1.2 means the zlib format, but some servers send raw deflate; a zlib
      // header's first byte always has 8 (CM = deflate) in its low nibble. Browsers sniff alike.
      return ((firstChunk[0] ?? 0) & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw();
    default:
      return undefined;
  }
}

function redirectTarget(from: URL, location: string | undefined, status: number): URL {
  if (location === undefined || location.trim() === '') {
    throw new FetchError('http', `${from.host} answered ${status} without a Location header`, { status });
  }
  let target: URL;
  try {
    target = validateFeedUrl(new URL(location, from).href);
  } catch (err) {
    const why = err instanceof FetchError ? err.message : 'the Location is not a valid URL';
    throw new FetchError('blocked', `refused redirect from ${from.host}: ${why}`);
  }
  if (from.protocol === 'https:' && target.protocol === 'http:') {
    throw new FetchError('blocked', `refused redirect from ${from.host}: https must not be downgraded to http`);
  }
  return target;
}

const FAILURE_MESSAGES: Record<string, [FetchErrorKind, string]> = {
  ECONNREFUSED: ['network', 'the connection was refused'],
  ECONNRESET: ['network', 'the connection was reset'],
  EPIPE: ['network', 'the connection was closed'],
  UND_ERR_SOCKET: ['network', 'the connection closed unexpectedly'],
  ENOTFOUND: ['network', 'the host name does not resolve'],
  EAI_AGAIN: ['network', 'DNS lookup failed, try again later'],
  ENETUNREACH: ['network', 'the network is unreachable'],
  EHOSTUNREACH: ['network', 'the host is unreachable'],
  Z_DATA_ERROR: ['network', 'the compressed body is corrupt'],
  Z_BUF_ERROR: ['network', 'the compressed body is cut short'],
  UND_ERR_CONNECT_TIMEOUT: ['timeout', 'could not connect in time'],
  UND_ERR_HEADERS_TIMEOUT: ['timeout', 'no response headers in time'],
  UND_ERR_BODY_TIMEOUT: ['timeout', 'the server stopped sending the body'],
};

function describeFailure(err: unknown, url: URL): FetchError {
  if (err instanceof FetchError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  const known = code === undefined ? undefined : FAILURE_MESSAGES[code];
  if (known !== undefined) return new FetchError(known[0], `${url.host}: ${known[1]}`, { cause: err });
  const what = code ?? (err instanceof Error ? err.name : 'unknown error');
  return new FetchError('network', `${url.host}: the request failed (${what})`, { cause: err });
}

/**
 * Milliseconds to wait from a `Retry-After` value: delta-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). A date in the past gives 0; anything unusable gives `undefined`.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // "1.5", "-5": neither a number nor a date
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseMaxAge(cacheControl: string | undefined): number | undefined {
  const match = cacheControl === undefined ? null : /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return match === null ? undefined : Number(match[1]);
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function after(ms: number, fn: () => void): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
