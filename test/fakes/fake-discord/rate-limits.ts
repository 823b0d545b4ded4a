/**
 * Rate limits as Discord applies them (https://discord.com/developers/docs/topics/rate-limits):
 * per-route buckets keyed by bucket hash + major parameter, a global per-second limit for bot-token
 * requests, and blocks after every 429 so that early retries are counted and refused.
 */
import { createHash } from 'node:crypto';
import type { FakeDiscordStats } from './types.js';
import { monotonicMs, secondsHeader } from './util.js';

/** The rate-limit identity of one request. */
export interface RouteLimit {
  /** e.g. `POST /channels/:id/messages`. */
  template: string;
  /** The major parameter (channel, guild, webhook or interaction), or `''`. */
  major: string;
  limit: number;
  windowMs: number;
  /** Whether the global limit applies (a valid bot-token request). */
  global: boolean;
}

/** A 429 to send. */
export interface RateLimited {
  retryAfterMs: number;
  global: boolean;
  scope: 'user' | 'shared' | 'global';
}

interface Bucket {
  windowStart: number;
  count: number;
  blockedUntil: number;
}

/** Timers can fire a fraction of a millisecond "early" against another clock; this much is not early. */
const EARLY_TOLERANCE_MS = 1;

/** Bucket and global state for one fake, plus the early-request and sliding-window counters. */
export class RateLimits {
  readonly #buckets = new Map<string, Bucket>();
  readonly #hashes = new Map<string, string>();
  readonly #arrivals: number[] = [];
  #globalBlockedUntil = 0;

  constructor(
    private readonly globalPerSecond: number,
    private readonly stats: FakeDiscordStats,
  ) {}

  /** The `X-RateLimit-Bucket` hash of a route template. */
  hash(template: string): string {
    let h = this.#hashes.get(template);
    if (h === undefined) {
      h = createHash('sha1').update(template).digest('hex').slice(0, 16);
      this.#hashes.set(template, h);
    }
    return h;
  }

  #bucket(route: RouteLimit, now: number): Bucket {
    const key = `${this.hash(route.template)}:${route.major}`;
    let b = this.#buckets.get(key);
    if (!b) {
      b = { windowStart: now, count: 0, blockedUntil: 0 };
      this.#buckets.set(key, b);
    }
    if (now >= b.windowStart + route.windowMs) {
      b.windowStart = now;
      b.count = 0;
    }
    return b;
  }

  /** Notes an arrival: the sliding global window, and whether it came before a `retry_after` elapsed. */
  arrive(route: RouteLimit): void {
    const now = monotonicMs();
    if (route.global) {
      this.#arrivals.push(now);
      while (this.#arrivals.length > 0 && this.#arrivals[0]! <= now - 1000) this.#arrivals.shift();
      this.stats.maxGlobalPerSecond = Math.max(this.stats.maxGlobalPerSecond, this.#arrivals.length);
    }
    const b = this.#bucket(route, now);
    const blocked = (route.global && now < this.#globalBlockedUntil - EARLY_TOLERANCE_MS) || now < b.blockedUntil - EARLY_TOLERANCE_MS;
    if (blocked) this.stats.earlyRequests++;
  }

  /** Decides whether the request may proceed; if so it takes a slot of its bucket. */
  take(route: RouteLimit): RateLimited | null {
    const now = monotonicMs();
    if (route.global && now < this.#globalBlockedUntil) {
      return { retryAfterMs: this.#globalBlockedUntil - now, global: true, scope: 'global' };
    }
    const b = this.#bucket(route, now);
    if (now < b.blockedUntil) return { retryAfterMs: b.blockedUntil - now, global: false, scope: 'user' };
    if (route.global && this.#arrivals.length > this.globalPerSecond) {
      // Sliding window: wait until only `limit - 1` earlier arrivals remain inside the last second.
      const retryAfterMs = this.#arrivals[this.#arrivals.length - this.globalPerSecond]! + 1000 - now;
      this.#globalBlockedUntil = now + retryAfterMs;
      return { retryAfterMs, global: true, scope: 'global' };
    }
    if (b.count >= route.limit) {
      const retryAfterMs = b.windowStart + route.windowMs - now;
      b.blockedUntil = now + retryAfterMs;
      return { retryAfterMs, global: false, scope: 'user' };
    }
    b.count++;
    return null;
  }

  /** Applies a scripted 429: blocks the route's bucket (or everything) and optionally renames its hash. */
  block(route: RouteLimit, retryAfterMs: number, global: boolean, bucketHash?: string): void {
    if (bucketHash !== undefined) this.#hashes.set(route.template, bucketHash);
    const now = monotonicMs();
    if (global) this.#globalBlockedUntil = Math.max(this.#globalBlockedUntil, now + retryAfterMs);
    else {
      const b = this.#bucket(route, now);
      b.blockedUntil = Math.max(b.blockedUntil, now + retryAfterMs);
    }
  }

  /** The `X-RateLimit-*` headers for a response; for a 429 pass it, and `Retry-After` etc. are added. */
  headers(route: RouteLimit, limited?: RateLimited): Record<string, string> {
    const now = monotonicMs();
    const b = this.#bucket(route, now);
    const resetAfterMs = limited ? limited.retryAfterMs : b.windowStart + route.windowMs - now;
    const h: Record<string, string> = {
      'x-ratelimit-limit': String(route.limit),
      'x-ratelimit-remaining': String(limited ? 0 : Math.max(0, route.limit - b.count)),
      'x-ratelimit-reset': ((Date.now() + Math.ceil(resetAfterMs)) / 1000).toFixed(3),
      'x-ratelimit-reset-after': secondsHeader(resetAfterMs),
      'x-ratelimit-bucket': this.hash(route.template),
    };
    if (limited) {
      h['retry-after'] = secondsHeader(limited.retryAfterMs);
      h['x-ratelimit-scope'] = limited.scope;
      if (limited.global) h['x-ratelimit-global'] = 'true';
    }
    return h;
  }
}
