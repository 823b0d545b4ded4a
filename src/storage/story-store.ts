import type { Redis } from 'ioredis';
import type { Story } from '../core/story.js';
import type { Keys } from './keys.js';

/** Storage of stories, shared by every feed (the same article from two feeds is one story). */
export interface StoryStore {
  /** Stores a story unless one with its id exists; true when this call created it. */
  add(story: Story): Promise<boolean>;
  get(storyId: string): Promise<Story | undefined>;
  /** Writes the summary fields onto a stored story, keeping its expiry; a story that expired stays gone. */
  setSummary(storyId: string, fields: Pick<Story, 'summary' | 'summarySource' | 'language'>): Promise<void>;
  getMany(storyIds: string[]): Promise<Array<Story | undefined>>;
  /** Ids of the newest stories first seen at or after `sinceMs`, newest first. */
  recentIds(sinceMs: number, limit: number): Promise<string[]>;
  /** Drops index entries older than the retention (story records expire by themselves). */
  trim(now: number): Promise<number>;
}

/** Story store on Redis: one JSON string per story with a TTL, plus a time index. */
export function createRedisStoryStore(redis: Redis, keys: Keys, retentionMs: number): StoryStore {
  const ttlSeconds = Math.max(1, Math.ceil(retentionMs / 1000));
  const parse = (json: string | null): Story | undefined => (json === null ? undefined : (JSON.parse(json) as Story));
  return {
    async add(story) {
      // One transaction: a crash can never leave a story stored but missing from the index.
      const results = await redis
        .multi()
        .set(keys.story(story.id), JSON.stringify(story), 'EX', ttlSeconds, 'NX')
        .zadd(keys.storiesByTime, 'NX', Date.parse(story.firstSeenAt), story.id)
        .exec();
      return results?.[0]?.[1] === 'OK';
    },
    async get(storyId) {
      return parse(await redis.get(keys.story(storyId)));
    },
    async setSummary(storyId, fields) {
      const current = parse(await redis.get(keys.story(storyId)));
      if (current === undefined) return;
      const updated: Story = { ...current, summary: fields.summary, summarySource: fields.summarySource };
      if (fields.language !== undefined) updated.language = fields.language;
      await redis.set(keys.story(storyId), JSON.stringify(updated), 'KEEPTTL', 'XX');
    },
    async getMany(storyIds) {
      if (storyIds.length === 0) return [];
      const values = await redis.mget(...storyIds.map((id) => keys.story(id)));
      return values.map(parse);
    },
    async recentIds(sinceMs, limit) {
      return await redis.zrevrangebyscore(keys.storiesByTime, '+inf', sinceMs, 'LIMIT', 0, limit);
    },
    async trim(now) {
      return await redis.zremrangebyscore(keys.storiesByTime, '-inf', now - retentionMs);
    },
  };
}
