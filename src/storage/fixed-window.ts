import type { Redis } from 'ioredis';

/**
 * Counts one use against a fixed time window shared by every process (`keyOf(window number)`,
 * kept for two windows); true while the window's count is within `limit`.
 */
export async function takeFixedWindow(redis: Redis, keyOf: (window: number) => string, limit: number, windowMs: number, now: number): Promise<boolean> {
  const key = keyOf(Math.floor(now / windowMs));
  const results = await redis.multi().incr(key).pexpire(key, windowMs * 2).exec();
  return Number(results?.[0]?.[1] ?? 0) <= limit;
}
