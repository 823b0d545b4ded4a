import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** Operational counters shared by every process (what was delivered, what failed and why). */
export interface Counters {
  increment(name: string, by?: number): Promise<void>;
  all(): Promise<Record<string, number>>;
}

export function createRedisCounters(redis: Redis, keys: Keys): Counters {
  return {
    async increment(name, by = 1) {
      await redis.hincrby(keys.counters, name, by);
    },
    async all() {
      const raw = await redis.hgetall(keys.counters);
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    },
  };
}
