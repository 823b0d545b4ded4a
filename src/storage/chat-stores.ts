import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ActionPayload, ActionStore, AlertStats } from '../chat/services.js';
import type { RateLimiter } from '../chat/dispatch.js';
import { destinationKey, type Destination } from '../core/destination.js';
import type { Keys } from './keys.js';

/** Fixed-window per-user command limit (`commands` per `perMs`), shared by every bot process. */
export function createRedisRateLimiter(redis: Redis, keys: Keys, limit: { commands: number; perMs: number }, now: () => number = Date.now): RateLimiter {
  return {
    async take(userKey) {
      const window = Math.floor(now() / limit.perMs);
      const key = keys.rateLimit(userKey, window);
      const results = await redis.multi().incr(key).pexpire(key, limit.perMs * 2).exec();
      return Number(results?.[0]?.[1] ?? 0) <= limit.commands;
    },
  };
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** Alert counts per channel, topic and UTC day, kept 8 days. */
export interface AlertCounter extends AlertStats {
  record(dest: Destination, topicIds: readonly string[], at: number): Promise<void>;
}

export function createRedisAlertStats(redis: Redis, keys: Keys, now: () => number = Date.now): AlertCounter {
  return {
    async record(dest, topicIds, at) {
      const key = keys.alertStats(destinationKey(dest), dayOf(at));
      const multi = redis.multi();
      for (const id of topicIds) multi.hincrby(key, id, 1);
      multi.expire(key, 8 * 86_400);
      await multi.exec();
    },
    async lastWeek(dest) {
      const t = now();
      const pipeline = redis.pipeline();
      for (let d = 0; d < 7; d++) pipeline.hgetall(keys.alertStats(destinationKey(dest), dayOf(t - d * DAY_MS)));
      const totals = new Map<string, number>();
      for (const [, row] of (await pipeline.exec()) ?? []) {
        for (const [topicId, count] of Object.entries((row as Record<string, string> | null) ?? {})) {
          totals.set(topicId, (totals.get(topicId) ?? 0) + Number(count));
        }
      }
      return totals;
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
