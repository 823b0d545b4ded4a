import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { Keys } from '../storage/keys.js';
import { decodeHtmlBytes, extractArticle } from './article-extract.js';
import { createFeedFetcher, FetchError, type FeedFetcher, type FeedFetcherOptions } from './fetch.js';
import { takeFixedWindow } from '../storage/fixed-window.js';

/**
 * Article pages for summaries: fetched through the guarded feed fetcher (SSRF guard, operator
 * allow-list, size and time limits), reduced to their main text, and cached in Redis so a page
 * is fetched once however many feeds, topics or workers meet the story. Each host gets at most
 * {@link ARTICLE_HOST_MAX_FETCHES} fetches per {@link ARTICLE_HOST_WINDOW_MS} from all processes.
 */

/** What article pages are asked for. */
export const ARTICLE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';
/** Article pages are cut off here (feeds get 5 MiB): the text of a news article is far smaller. */
export const ARTICLE_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** A summary waits for the page at most this long, so alerts are not held up by a slow site. */
export const ARTICLE_HEADERS_TIMEOUT_MS = 5_000;
export const ARTICLE_TOTAL_TIMEOUT_MS = 10_000;
/**
 * Politeness: at most this many article fetches per host per window, across all processes
 * (on average one a second; a burst of matched stories from one outlet goes through at once,
 * at most `FEED_MAX_CONNECTIONS_PER_HOST` connections at a time per process). Beyond it,
 * summaries use the feed's text: nothing waits.
 */
export const ARTICLE_HOST_MAX_FETCHES = 10;
export const ARTICLE_HOST_WINDOW_MS = 10_000;
/** Extracted text is kept this long: longer than a story can still alert (48 h). */
export const ARTICLE_CACHE_TTL_SECONDS = 3 * 86_400;
/** A page that failed is not tried again for this long. */
export const ARTICLE_FAILURE_TTL_SECONDS = 3_600;
/** Extracted text beyond this is not stored (the summary comes from the first part anyway). */
export const ARTICLE_TEXT_MAX_CHARS = 30_000;

/** An article page's main text, or why there is none. `cached`: answered from Redis. */
export type ArticleResult =
  | { ok: true; text: string; title?: string; lang?: string; cached: boolean }
  | { ok: false; reason: string; cached: boolean };

/** Gets the main text of article pages, fetching each page at most once per cache period. */
export interface ArticleSource {
  get(url: string, signal?: AbortSignal): Promise<ArticleResult>;
}

const cachedSchema = z.union([
  z.object({ ok: z.literal(true), text: z.string(), title: z.string().optional(), lang: z.string().optional() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);

/** Hosts reserved for documentation or guaranteed not to exist (RFC 2606, RFC 6761): never fetched. */
const NEVER_FETCHED_HOST_RE = /(?:^|\.)(?:example|invalid)\.?$/i;

/** Creates the article fetcher: the feed fetcher's guard and limits, asking for HTML. */
export function createArticleFetcher(opts: FeedFetcherOptions = {}): FeedFetcher {
  return createFeedFetcher({
    accept: ARTICLE_ACCEPT,
    maxBodyBytes: ARTICLE_MAX_BODY_BYTES,
    headersTimeoutMs: ARTICLE_HEADERS_TIMEOUT_MS,
    totalTimeoutMs: ARTICLE_TOTAL_TIMEOUT_MS,
    ...opts,
  });
}

export interface ArticleSourceDeps {
  redis: Redis;
  keys: Keys;
  fetcher: FeedFetcher;
  log: Logger;
  now: () => number;
  /** Politeness limit; defaults to {@link ARTICLE_HOST_MAX_FETCHES} per {@link ARTICLE_HOST_WINDOW_MS}. */
  hostMaxFetches?: number;
  hostWindowMs?: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The Redis-cached, host-paced article source. */
export function createArticleSource(deps: ArticleSourceDeps): ArticleSource {
  const maxFetches = deps.hostMaxFetches ?? ARTICLE_HOST_MAX_FETCHES;
  const windowMs = deps.hostWindowMs ?? ARTICLE_HOST_WINDOW_MS;
  const cacheKey = (url: string): string => deps.keys.articleText(createHash('sha256').update(url).digest('hex').slice(0, 32));

  /** Counts a fetch against the host's window; false when the host's budget is spent. */
  async function mayFetch(host: string): Promise<boolean> {
    return await takeFixedWindow(deps.redis, (window) => deps.keys.articleHostWindow(host, window), maxFetches, windowMs, deps.now());
  }

  async function remember(key: string, value: z.infer<typeof cachedSchema>): Promise<void> {
    const ttl = value.ok ? ARTICLE_CACHE_TTL_SECONDS : ARTICLE_FAILURE_TTL_SECONDS;
    await deps.redis.set(key, JSON.stringify(value), 'EX', ttl);
  }

  return {
    async get(url, signal) {
      const key = cacheKey(url);
      const hit = await deps.redis.get(key);
      if (hit !== null) {
        const parsed = cachedSchema.safeParse(parseJson(hit));
        if (parsed.success) return { ...parsed.data, cached: true };
      }
      let host: string;
      try {
        host = new URL(url).hostname.toLowerCase();
      } catch {
        return { ok: false, reason: 'invalid-url', cached: false };
      }
      if (NEVER_FETCHED_HOST_RE.test(host)) return { ok: false, reason: 'reserved-host', cached: false };
      // Not cached: the next story from this host may well be within budget.
      if (!(await mayFetch(host))) return { ok: false, reason: 'host-busy', cached: false };
      let outcome;
      try {
        outcome = await deps.fetcher.fetch(url, { signal });
      } catch (err) {
        if (signal?.aborted === true) throw err;
        const reason = err instanceof FetchError ? err.kind : 'network';
        deps.log.debug({ host, reason }, 'article page not fetched');
        await remember(key, { ok: false, reason });
        return { ok: false, reason, cached: false };
      }
      if (outcome.kind !== 'ok') return { ok: false, reason: 'not-modified', cached: false };
      const article = extractArticle(decodeHtmlBytes(outcome.body, outcome.contentType));
      if (article === undefined) {
        await remember(key, { ok: false, reason: 'no-article' });
        return { ok: false, reason: 'no-article', cached: false };
      }
      const value = { ...article, ok: true as const, text: article.text.slice(0, ARTICLE_TEXT_MAX_CHARS) };
      await remember(key, value);
      return { ...value, cached: false };
    },
  };
}
