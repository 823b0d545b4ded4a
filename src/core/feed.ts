import { createHash } from 'node:crypto';

/** A feed as configured: by the operator (catalog / FEEDS_FILE) or by a workspace from chat. */
export interface FeedDefinition {
  id: string;
  url: string;
  name: string;
  language?: string;
  intervalSeconds: number;
}

/** What Newshound remembers between polls of a feed. */
export interface FeedState {
  etag?: string;
  lastModified?: string;
  /** Set by the first successful poll, which records every item and alerts nothing. */
  baselinedAt?: number;
  lastPolledAt?: number;
  lastSuccessAt?: number;
  /** Consecutive failures; 0 after any success. */
  failures: number;
  /** When the current run of failures began. */
  firstFailureAt?: number;
  lastError?: string;
  /** Not polled before this time (backoff, Retry-After, Cache-Control). */
  nextPollAfter?: number;
  disabledAt?: number;
  disabledReason?: string;
}

export type Feed = FeedDefinition & FeedState;

/** A feed is disabled after this many consecutive failures ... */
export const FEED_DISABLE_AFTER_FAILURES = 10;
/** ... that span at least this long, so a short outage never disables a feed. */
export const FEED_DISABLE_MIN_SPAN_MS = 24 * 3_600_000;
/** Backoff never waits longer than this between attempts. */
export const FEED_BACKOFF_CAP_MS = 24 * 3_600_000;
/** `<ttl>` and `Cache-Control: max-age` are honoured up to this long, so news is never late by more. */
export const FEED_CACHE_HINT_CAP_MS = 15 * 60_000;

/** Feed id for a URL: one fetch per URL, whoever subscribes. */
export function feedIdFor(url: string): string {
  return createHash('sha256').update(url.trim()).digest('hex').slice(0, 16);
}

/** The first wait after a failure is the poll interval, but at least this ... */
export const FEED_BACKOFF_MIN_BASE_MS = 60_000;
/**
 * ... and at most this: doubling from a longer base would reach 10 failures only after days (from
 * 10 minutes: 66 h), so a dead feed would be polled on and on instead of being disabled.
 */
export const FEED_BACKOFF_MAX_BASE_MS = 5 * 60_000;

/**
 * Delay before the next attempt after the `failures`-th consecutive failure: the poll interval
 * (between 1 and 5 minutes) doubled per failure, capped at 24 h, ±10 % jitter so feeds that
 * failed together do not retry together. With any interval up to 10 minutes, a feed failing for
 * good is disabled within 48 h after at most 12 requests (F8). A server's Retry-After is used instead.
 */
export function backoffDelayMs(failures: number, intervalSeconds: number, random: () => number = Math.random): number {
  const base = Math.min(Math.max(intervalSeconds * 1000, FEED_BACKOFF_MIN_BASE_MS), FEED_BACKOFF_MAX_BASE_MS);
  const exp = Math.min(base * 2 ** Math.max(failures - 1, 0), FEED_BACKOFF_CAP_MS);
  const jitter = 1 + (random() * 0.2 - 0.1);
  return Math.round(Math.min(exp * jitter, FEED_BACKOFF_CAP_MS));
}

/** Whether a run of failures is long enough to disable the feed. */
export function shouldDisable(failures: number, firstFailureAt: number | undefined, now: number): boolean {
  return (
    failures >= FEED_DISABLE_AFTER_FAILURES &&
    firstFailureAt !== undefined &&
    now - firstFailureAt >= FEED_DISABLE_MIN_SPAN_MS
  );
}

/**
 * The earliest next poll after a success: the feed's own caching hints (`<ttl>` minutes,
 * `Cache-Control: max-age`) are honoured when they ask for longer than the interval, capped.
 */
export function nextPollAfterSuccess(
  now: number,
  intervalSeconds: number,
  hints: { ttlMinutes?: number; maxAgeSeconds?: number },
): number | undefined {
  const hinted = Math.max((hints.ttlMinutes ?? 0) * 60_000, (hints.maxAgeSeconds ?? 0) * 1000);
  const wait = Math.min(hinted, FEED_CACHE_HINT_CAP_MS);
  return wait > intervalSeconds * 1000 ? now + wait : undefined;
}
