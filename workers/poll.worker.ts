import {
  backoffDelayMs,
  nextPollAfterSuccess,
  shouldDisable,
  type Feed,
} from '../src/core/feed.js';
import { identitiesFor, isFreshEnough, storyFromItem } from '../src/core/story.js';
import { FetchError } from '../src/feeds/fetch.js';
import { parseFeedLazily } from '../src/feeds/parse.js';
import { jobIds } from '../src/queues/job-ids.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { unscheduleFeed } from '../src/queues/scheduler.js';
import { defineWorker, type WorkerContext } from '../src/queues/worker.js';

/** Longer than a fetch may take (20 s) plus parsing and storing, so the lock outlives the poll. */
const POLL_LOCK_MS = 60_000;
/** A feed that suddenly lists thousands of items is cut here (newest first in practice). */
const MAX_ITEMS_PER_POLL = 500;

/** What one poll did; the job's return value, for logs, tests and metrics. */
export type PollOutcome =
  | { outcome: 'unknown-feed' | 'disabled' | 'waiting' | 'locked' | 'not-modified' }
  | { outcome: 'failed'; kind: string; error: string; failures: number; disabled: boolean }
  | { outcome: 'ok'; items: number; new: number; emitted: number; baseline: boolean };

/** A 429/503 without Retry-After still says "slow down": its backoff starts at 5 minutes (RELIABILITY F7). */
const RATE_LIMITED_BACKOFF_BASE_SECONDS = 300;

/** A scheduled run may fire a little before a wait ends; it goes ahead when it is at most this early. */
function earlyToleranceMs(intervalSeconds: number): number {
  return Math.min(2_000, (intervalSeconds * 1000) / 2);
}

async function recordFailure(ctx: WorkerContext, feed: Feed, err: unknown, now: number): Promise<PollOutcome> {
  const failures = feed.failures + 1;
  const firstFailureAt = feed.firstFailureAt ?? now;
  const message = err instanceof Error ? err.message : String(err);
  const kind = err instanceof FetchError ? err.kind : 'parse';
  const retryAfterMs = err instanceof FetchError ? err.retryAfterMs : undefined;
  const rateLimited = kind === 'rate-limited';
  const delay = retryAfterMs ?? backoffDelayMs(failures, rateLimited ? Math.max(feed.intervalSeconds, RATE_LIMITED_BACKOFF_BASE_SECONDS) : feed.intervalSeconds);
  const disable = shouldDisable(failures, firstFailureAt, now);
  ctx.log.warn({ feedId: feed.id, url: feed.url, kind, failures, retryInMs: delay, disable }, 'feed poll failed');
  await ctx.feeds.updateState(feed.id, {
    failures,
    firstFailureAt,
    lastPolledAt: now,
    lastError: `${kind}: ${message}`.slice(0, 500),
    // A wait the server asked for is kept to the millisecond: the early-run tolerance must not shorten it.
    nextPollAfter: now + delay + (rateLimited ? earlyToleranceMs(feed.intervalSeconds) : 0),
    ...(disable ? { disabledAt: now, disabledReason: `${failures} failures in a row since ${new Date(firstFailureAt).toISOString()}; last: ${message}`.slice(0, 500) } : {}),
  });
  if (disable) {
    await unscheduleFeed(ctx.queues, feed.id);
    await ctx.events.record({ type: 'feed-disabled', feedId: feed.id, url: feed.url, name: feed.name, reason: message, at: now });
  }
  return { outcome: 'failed', kind, error: `${kind}: ${message}`, failures, disabled: disable };
}

/**
 * Polls one feed: fetch (conditional), parse, find the items this feed has not seen, store
 * them as stories and hand the fresh ones to matching. The first successful poll records a
 * baseline and hands over nothing.
 */
export async function pollFeed(
  feedId: string,
  ctx: WorkerContext,
  signal?: AbortSignal,
  opts: { /** Skip when the last poll is more recent than this share of the interval. */ minGapOfInterval?: number } = {},
): Promise<PollOutcome> {
  const feed = await ctx.feeds.get(feedId);
  if (feed === undefined) return { outcome: 'unknown-feed' };
  if (feed.disabledAt !== undefined) return { outcome: 'disabled' };
  const startedAt = ctx.now();
  // A first poll and the schedule's first run can fall close together: once per interval is enough.
  const minGapMs = (opts.minGapOfInterval ?? 0) * feed.intervalSeconds * 1000;
  if (feed.lastPolledAt !== undefined && startedAt - feed.lastPolledAt < minGapMs) return { outcome: 'waiting' };
  // A scheduled run may fire a little before the backoff ends; don't skip a whole interval for that.
  if (feed.nextPollAfter !== undefined && startedAt < feed.nextPollAfter - earlyToleranceMs(feed.intervalSeconds)) return { outcome: 'waiting' };

  const release = await ctx.feeds.lock(feedId, POLL_LOCK_MS);
  if (release === undefined) return { outcome: 'locked' };
  try {
    let fetched;
    try {
      // Validators only count together with a baseline: a feed without one (new, or its state lost
      // with Redis's data while a poll wrote the ETag back) needs the whole body, or every 304 would
      // leave it unbaselined and its next new item would be taken for the baseline (found by R3).
      const baselined = feed.baselinedAt !== undefined;
      fetched = await ctx.fetcher.fetch(feed.url, { etag: baselined ? feed.etag : undefined, lastModified: baselined ? feed.lastModified : undefined, signal });
    } catch (err) {
      // Shutting down is not the feed's fault: leave its state alone, the next poll retries.
      if (signal?.aborted) throw err;
      return await recordFailure(ctx, feed, err, ctx.now());
    }
    const now = ctx.now();
    if (fetched.kind === 'not-modified') {
      await ctx.feeds.updateState(feedId, {
        lastPolledAt: now,
        lastSuccessAt: now,
        failures: 0,
        firstFailureAt: undefined,
        lastError: undefined,
        nextPollAfter: nextPollAfterSuccess(now, feed.intervalSeconds, { maxAgeSeconds: fetched.maxAgeSeconds }),
        ...(fetched.etag !== undefined ? { etag: fetched.etag } : {}),
        ...(fetched.lastModified !== undefined ? { lastModified: fetched.lastModified } : {}),
      });
      return { outcome: 'not-modified' };
    }

    let parsed;
    try {
      parsed = await parseFeedLazily(fetched.body, { contentType: fetched.contentType, baseUrl: fetched.finalUrl });
    } catch (err) {
      return await recordFailure(ctx, feed, err, now);
    }

    const items = parsed.items.slice(0, MAX_ITEMS_PER_POLL);
    const identities = identitiesFor(items);
    const firstIndex = new Map<string, number>();
    identities.forEach((id, i) => {
      if (!firstIndex.has(id)) firstIndex.set(id, i);
    });
    const unique = [...firstIndex.keys()];
    const unseen = await ctx.feeds.unseen(feedId, unique);
    const baseline = feed.baselinedAt === undefined;
    const nowDate = new Date(now);
    const toMatch: string[] = [];
    let newCount = 0;
    for (let u = 0; u < unique.length; u++) {
      if (!unseen[u]) continue;
      newCount++;
      const item = parsed.complete(firstIndex.get(unique[u]!)!);
      const story = storyFromItem(item, unique[u]!, { id: feed.id, name: feed.name, language: feed.language ?? parsed.language }, nowDate);
      if (await ctx.stories.add(story)) await ctx.search.index(story);
      if (!baseline && isFreshEnough(story, nowDate, ctx.config.MAX_STORY_AGE_HOURS)) toMatch.push(story.id);
    }
    // Hand over before the seen set advances: a crash in between re-finds these items as new on
    // the next poll, and the deterministic job ids keep that from doubling anything.
    await ctx.queues.match.addBulk(
      toMatch.map((storyId) => ({ payload: { storyId, feedId }, opts: { jobId: jobIds.match(feedId, storyId) } })),
    );
    const retentionMs = ctx.config.STORY_RETENTION_DAYS * 86_400_000;
    await ctx.feeds.markSeen(feedId, unique, now, retentionMs);
    await ctx.feeds.updateState(feedId, {
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      // An empty first answer is no baseline: items that show up later were there all along (a
      // feed that answers empty once, then full, would otherwise alert every one of them).
      baselinedAt: feed.baselinedAt ?? (items.length > 0 ? now : undefined),
      lastPolledAt: now,
      lastSuccessAt: now,
      failures: 0,
      firstFailureAt: undefined,
      lastError: undefined,
      nextPollAfter: nextPollAfterSuccess(now, feed.intervalSeconds, {
        ttlMinutes: parsed.ttlMinutes,
        maxAgeSeconds: fetched.maxAgeSeconds,
      }),
    });
    ctx.log.debug({ feedId, items: items.length, new: newCount, emitted: toMatch.length, baseline }, 'feed polled');
    return { outcome: 'ok', items: items.length, new: newCount, emitted: toMatch.length, baseline };
  } finally {
    await release();
  }
}

export default defineWorker({
  queue: QUEUE_NAMES.poll,
  concurrency: 48,
  async process({ feedId }, ctx, { signal }) {
    const result = await pollFeed(feedId, ctx, signal, { minGapOfInterval: 0.5 });
    ctx.metrics.polls.inc({ outcome: result.outcome });
    if (result.outcome === 'failed') ctx.metrics.fetchErrors.inc({ kind: result.kind });
    if (result.outcome === 'ok') ctx.metrics.stories.inc(result.new);
    return result;
  },
});
