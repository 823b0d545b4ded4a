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
  /**
   * Events no consumer of `group` has taken yet, for `consumer` (a Redis consumer group: each
   * event goes to one consumer). The group starts at the beginning of the log.
   */
  claimNew(group: string, consumer: string, count: number): Promise<Array<{ id: string; event: NewshoundEvent }>>;
  ack(group: string, id: string): Promise<void>;
}

const EVENT_LOG_MAX_LEN = 10_000;

export function createRedisEventLog(redis: Redis, keys: Keys): EventLog {
  const groups = new Set<string>();
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
    async claimNew(group, consumer, count) {
      if (!groups.has(group)) {
        try {
          await redis.xgroup('CREATE', keys.events, group, '0', 'MKSTREAM');
        } catch (err) {
          if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
        }
        groups.add(group);
      }
      const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', keys.events, '>')) as Array<[string, Array<[string, string[]]>]> | null;
      const rows = reply?.[0]?.[1] ?? [];
      return rows.map(([id, fields]) => ({ id, event: JSON.parse(fields[1] ?? '{}') as NewshoundEvent }));
    },
    async ack(group, id) {
      await redis.xack(keys.events, group, id);
    },
  };
}
