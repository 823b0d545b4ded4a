import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/** Redis is set up in a way that would lose queued jobs; the process must not start. */
export class RedisSetupError extends Error {
  override name = 'RedisSetupError';
}

/**
 * Checks the Redis server at boot. An eviction policy other than `noeviction` would silently
 * delete queued jobs and ledger entries under memory pressure, so it is refused (BullMQ only
 * warns). Running without any persistence is allowed but warned about. Servers that forbid
 * CONFIG (some managed services) are trusted, with a warning.
 */
export async function checkRedisSetup(redis: Redis, log: Logger): Promise<void> {
  let policy: string | undefined;
  let appendonly: string | undefined;
  let save: string | undefined;
  try {
    policy = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1];
    appendonly = ((await redis.config('GET', 'appendonly')) as string[])[1];
    save = ((await redis.config('GET', 'save')) as string[])[1];
  } catch {
    log.warn('Redis does not allow CONFIG GET; cannot verify maxmemory-policy is noeviction');
    return;
  }
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisSetupError(
      `Redis maxmemory-policy is "${policy}": Redis could evict queued jobs and delivery records. ` +
        'Set it to noeviction (redis-cli CONFIG SET maxmemory-policy noeviction, or maxmemory-policy noeviction in redis.conf).',
    );
  }
  if (appendonly !== 'yes' && (save === undefined || save.trim() === '')) {
    log.warn('Redis has no persistence (appendonly no, no save points): a Redis restart loses queued alerts; turn on appendonly for production');
  }
}
