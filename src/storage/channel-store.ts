import type { Redis } from 'ioredis';
import { destinationKey, type Destination } from '../core/destination.js';
import type { QuietHours } from '../core/schedule.js';
import type { Keys } from './keys.js';

/** Who to mention for breaking news, and when a story counts as breaking. */
export interface BreakingRule {
  /** Platform mention target: a Discord role id or a Slack user group id. */
  mention: string;
  /** At least this many distinct outlets ... */
  outlets: number;
  /** ... within this many minutes of the first alert. */
  minutes: number;
}

/** Per-channel settings for how alerts arrive. */
export interface ChannelSettings {
  /** IANA zone for quiet hours and daily digests; UTC unless set. */
  timeZone: string;
  quiet?: QuietHours;
  breaking?: BreakingRule;
}

/** Per-channel delivery settings, held-back alerts and muted stories. */
export interface ChannelStore {
  settings(dest: Destination): Promise<ChannelSettings>;
  /** Writes fields; `null` removes one. */
  update(dest: Destination, patch: { timeZone?: string; quiet?: QuietHours | null; breaking?: BreakingRule | null }): Promise<ChannelSettings>;
  /** Holds a story for a later digest (`bucket`: `quiet`, `hourly`, `daily-0800`). Holding twice keeps one entry. */
  hold(destKey: string, bucket: string, entry: HeldStory): Promise<void>;
  /** Every story held in a bucket, oldest first. */
  held(destKey: string, bucket: string): Promise<HeldStory[]>;
  /** Forgets held stories (after their digest went out). */
  release(destKey: string, bucket: string, storyIds: readonly string[]): Promise<void>;
  /** "Mute this story": no follow-ups (edits, digests, escalation) for the cluster in this channel. */
  muteCluster(destKey: string, clusterId: string): Promise<void>;
  isClusterMuted(destKey: string, clusterId: string): Promise<boolean>;
}

/** A story waiting for a digest, with what made it match. */
export interface HeldStory {
  storyId: string;
  clusterId: string;
  topics: Array<{ topicId: string; query: string; terms: string[] }>;
  at: number;
}

/** Held stories and muted clusters outlast any digest period and the 48 h cluster window. */
const HOLD_TTL_SECONDS = 3 * 86_400;
const MUTE_TTL_SECONDS = 7 * 86_400;

export function createRedisChannelStore(redis: Redis, keys: Keys): ChannelStore {
  const read = async (destKey: string): Promise<ChannelSettings> => {
    const h = await redis.hgetall(keys.channelSettings(destKey));
    const s: ChannelSettings = { timeZone: h.timeZone ?? 'UTC' };
    if (h.quietStart && h.quietEnd) s.quiet = { start: h.quietStart, end: h.quietEnd };
    if (h.breakingMention) s.breaking = { mention: h.breakingMention, outlets: Number(h.breakingOutlets ?? 3), minutes: Number(h.breakingMinutes ?? 60) };
    return s;
  };
  return {
    async settings(dest) {
      return await read(destinationKey(dest));
    },
    async update(dest, patch) {
      const key = keys.channelSettings(destinationKey(dest));
      const multi = redis.multi();
      if (patch.timeZone !== undefined) multi.hset(key, 'timeZone', patch.timeZone);
      if (patch.quiet === null) multi.hdel(key, 'quietStart', 'quietEnd');
      else if (patch.quiet !== undefined) multi.hset(key, { quietStart: patch.quiet.start, quietEnd: patch.quiet.end });
      if (patch.breaking === null) multi.hdel(key, 'breakingMention', 'breakingOutlets', 'breakingMinutes');
      else if (patch.breaking !== undefined) {
        multi.hset(key, { breakingMention: patch.breaking.mention, breakingOutlets: String(patch.breaking.outlets), breakingMinutes: String(patch.breaking.minutes) });
      }
      await multi.exec();
      return await read(destinationKey(dest));
    },
    async hold(destKey, bucket, entry) {
      const order = keys.heldOrder(destKey, bucket);
      const data = keys.heldData(destKey, bucket);
      await redis
        .multi()
        .zadd(order, 'NX', entry.at, entry.storyId)
        .hsetnx(data, entry.storyId, JSON.stringify(entry))
        .expire(order, HOLD_TTL_SECONDS)
        .expire(data, HOLD_TTL_SECONDS)
        .exec();
    },
    async held(destKey, bucket) {
      const ids = await redis.zrange(keys.heldOrder(destKey, bucket), 0, -1);
      if (ids.length === 0) return [];
      const rows = await redis.hmget(keys.heldData(destKey, bucket), ...ids);
      return rows.flatMap((json) => (json === null ? [] : [JSON.parse(json) as HeldStory]));
    },
    async release(destKey, bucket, storyIds) {
      if (storyIds.length === 0) return;
      await redis
        .multi()
        .zrem(keys.heldOrder(destKey, bucket), ...storyIds)
        .hdel(keys.heldData(destKey, bucket), ...storyIds)
        .exec();
    },
    async muteCluster(destKey, clusterId) {
      await redis.set(keys.mutedCluster(destKey, clusterId), '1', 'EX', MUTE_TTL_SECONDS);
    },
    async isClusterMuted(destKey, clusterId) {
      return (await redis.exists(keys.mutedCluster(destKey, clusterId))) === 1;
    },
  };
}
