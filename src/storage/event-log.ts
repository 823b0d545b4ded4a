import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** Something people should hear about, recorded for the chat adapters to announce once. */
export type NewshoundEvent =
  | { type: 'feed-disabled'; feedId: string; url: string; name: string; reason: string; at: number }
  /** Alerts to a channel stopped for good (channel gone, access lost). */
  | { type: 'destination-disabled'; destination: string; reason: string; subscriptions: number; at: number }
  /** Every send on a platform stopped (token invalid or revoked). */
  | { type: 'platform-halted'; platform: string; reason: string; at: number };

/** An append-only log of events for people (a Redis stream, capped). */
export interface EventLog {
  record(event: NewshoundEvent): Promise<string>;
  /** Events after the given stream id ('0' for all), oldest first. */
  readAfter(afterId: string, count: number): Promise<Array<{ id: string; event: NewshoundEvent }>>;
}

const EVENT_LOG_MAX_LEN = 10_000;

export function createRedisEventLog(redis: Redis, keys: Keys): EventLog {
  return {
    async record(event) {
      const id = await redis.xadd(keys.events, 'MAXLEN', '~', EVENT_LOG_MAX_LEN, '*', 'event', JSON.stringify(event));
      return id ?? '';
    },
    async readAfter(afterId, count) {
      const start = afterId === '0' ? '-' : `(${afterId}`;
      const rows = await redis.xrange(keys.events, start, '+', 'COUNT', count);
      return rows.map(([id, fields]) => ({ id, event: JSON.parse(fields[1] ?? '{}') as NewshoundEvent }));
    },
  };
}
