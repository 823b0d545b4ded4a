/**
 * chat.postMessage's per-channel limit: "generally allows posting one message per second per
 * channel, while also maintaining a workspace-wide limit", short bursts allowed
 * (https://docs.slack.dev/apis/web-api/rate-limits). Modelled as a token bucket per channel, plus the
 * counters RELIABILITY.md S1 gates on. All times are `performance.now()` milliseconds.
 */
import { performance } from 'node:perf_hooks';
import type { FakeSlackStats } from './types.js';

/**
 * Node timers run on libuv's cached loop time and can fire up to ~1 ms "early" measured with
 * `performance.now()`; a client that waited exactly Retry-After must not count as early.
 */
const EARLY_SLACK_MS = 1;
/**
 * Requests sent before the client saw the first 429 of a window can still arrive after it went out
 * (a WebClient fires concurrent posts on separate, staggered connections; measured 1–30 ms apart on
 * loopback). Arrivals within this long of the first 429 are answered 429 but not counted as early.
 * A client that keeps retrying without waiting is counted once past it.
 */
const IN_FLIGHT_GRACE_MS = 100;

/** A Retry-After window of one channel: from the first 429 sent until the latest Retry-After ends. */
interface Window {
  start: number;
  until: number;
}

/** Token buckets, Retry-After windows and the S1 counters, keyed by channel id. */
export class ChannelRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; last: number }>();
  private readonly windows = new Map<string, Window>();
  private readonly accepted = new Map<string, number[]>();
  readonly stats: FakeSlackStats = { maxPerChannelPerSecond: 0, earlyRequests: 0, rateLimited: 0, mentionPings: 0 };

  constructor(private readonly rate: { perSecond: number; burst: number } | false) {}

  /**
   * For a call whose request arrived (headers received) inside its channel's Retry-After window:
   * returns the whole seconds left, for its own 429, and counts it as early unless it arrived within
   * IN_FLIGHT_GRACE_MS of the window's first 429. Calls that arrived before that 429 went out are left
   * to the bucket.
   */
  checkEarly(channel: string, arrivedAt: number): number | undefined {
    const w = this.windows.get(channel);
    if (w === undefined || arrivedAt < w.start || arrivedAt >= w.until - EARLY_SLACK_MS) return undefined;
    if (arrivedAt - w.start >= IN_FLIGHT_GRACE_MS) this.stats.earlyRequests += 1;
    return Math.max(1, Math.ceil((w.until - arrivedAt) / 1000));
  }

  /** Records a 429 sent for `channel` by the bucket or a script; opens or extends its window. */
  noteRateLimited(channel: string | undefined, retryAfterSeconds: number, now = performance.now()): void {
    this.stats.rateLimited += 1;
    if (channel === undefined) return;
    const until = now + retryAfterSeconds * 1000;
    const w = this.windows.get(channel);
    if (w === undefined || now >= w.until) this.windows.set(channel, { start: now, until });
    else w.until = Math.max(w.until, until);
  }

  /** Takes a token; returns undefined when allowed, else the integer Retry-After in seconds. */
  take(channel: string, now = performance.now()): number | undefined {
    if (this.rate === false) return undefined;
    const { perSecond, burst } = this.rate;
    const b = this.buckets.get(channel) ?? { tokens: burst, last: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.last) / 1000) * perSecond);
    b.last = now;
    this.buckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }

  /** Records an accepted post and updates the sliding-window maximum. */
  noteAccepted(channel: string, now = performance.now()): void {
    const times = (this.accepted.get(channel) ?? []).filter((t) => t > now - 1000);
    times.push(now);
    this.accepted.set(channel, times);
    this.stats.maxPerChannelPerSecond = Math.max(this.stats.maxPerChannelPerSecond, times.length);
  }
}
