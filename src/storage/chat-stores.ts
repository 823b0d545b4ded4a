import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ActionPayload, ActionStore, AlertStats } from '../chat/services.js';
import type { RateLimiter } from '../chat/dispatch.js';
import { destinationKey, type Destination } from '../core/destination.js';
import { takeFixedWindow } from './fixed-window.js';
import type { Keys } from './keys.js';

/** Fixed-window per-user command limit (`commands` per `perMs`), shared by every bot process. */
export function createRedisRateLimiter(redis: Redis, keys: Keys, limit: { commands: number; perMs: number }, now: () => number = Date.now): RateLimiter {
  return {
    async take(userKey) {
      return await takeFixedWindow(redis, (window) => keys.rateLimit(userKey, window), limit.commands, limit.perMs, now());
    },
  };
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** Alert counts per channel, topic and UTC day, kept 8 days. */
export interface AlertCounter extends AlertStats {
  /** Counts one alert for each topic, and for its source. */
  record(dest: Destination, topicIds: readonly string[], at: number, source?: string): Promise<void>;
}

/** Fields of the per-day hash besides topic ids: all alerts, and alerts per source. */
const TOTAL_FIELD = '*';
const SOURCE_FIELD = 'source:';

export function createRedisAlertStats(redis: Redis, keys: Keys, now: () => number = Date.now): AlertCounter {
  /** The last 7 UTC days, today first. */
  const days = async (dest: Destination): Promise<Array<Record<string, string>>> => {
    const t = now();
    const pipeline = redis.pipeline();
    for (let d = 0; d < 7; d++) pipeline.hgetall(keys.alertStats(destinationKey(dest), dayOf(t - d * DAY_MS)));
    return ((await pipeline.exec()) ?? []).map(([, row]) => (row as Record<string, string> | null) ?? {});
  };
  return {
    async record(dest, topicIds, at, source) {
      const key = keys.alertStats(destinationKey(dest), dayOf(at));
      const multi = redis.multi();
      for (const id of topicIds) multi.hincrby(key, id, 1);
      multi.hincrby(key, TOTAL_FIELD, 1);
      if (source !== undefined) multi.hincrby(key, `${SOURCE_FIELD}${source}`, 1);
      multi.expire(key, 8 * 86_400);
      await multi.exec();
    },
    async lastWeek(dest) {
      const totals = new Map<string, number>();
      for (const day of await days(dest)) {
        for (const [field, count] of Object.entries(day)) {
          if (field === TOTAL_FIELD || field.startsWith(SOURCE_FIELD)) continue;
          totals.set(field, (totals.get(field) ?? 0) + Number(count));
        }
      }
      return totals;
    },
    async daily(dest, topicId) {
      return (await days(dest)).map((day) => Number(day[topicId ?? TOTAL_FIELD] ?? 0)).reverse();
    },
    async topSources(dest, limit) {
      const totals = new Map<string, number>();
      for (const day of await days(dest)) {
        for (const [field, count] of Object.entries(day)) {
          if (field.startsWith(SOURCE_FIELD)) totals.set(field.slice(SOURCE_FIELD.length), (totals.get(field.slice(SOURCE_FIELD.length)) ?? 0) + Number(count));
        }
      }
      return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
    },
  };
}

/** Button payloads live this long (Discord interaction tokens live 15 minutes). */
const ACTION_TTL_SECONDS = 24 * 3600;

export function createRedisActionStore(redis: Redis, keys: Keys): ActionStore {
  return {
    async put(payload) {
      const token = randomBytes(9).toString('base64url');
      await redis.set(keys.action(token), JSON.stringify(payload), 'EX', ACTION_TTL_SECONDS);
      return token;
    },
    async get(token) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(token)) return undefined;
      const json = await redis.get(keys.action(token));
      return json === null ? undefined : (JSON.parse(json) as ActionPayload);
    },
  };
}
