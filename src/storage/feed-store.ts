import type { Redis } from 'ioredis';
import type { Feed, FeedDefinition, FeedState } from '../core/feed.js';
import type { Keys } from './keys.js';

/** Storage of feed definitions and their polling state. */
export interface FeedStore {
  /** Creates or updates a feed's definition; its polling state is kept. */
  upsert(def: FeedDefinition): Promise<void>;
  get(feedId: string): Promise<Feed | undefined>;
  list(): Promise<Feed[]>;
  remove(feedId: string): Promise<void>;
  /** Writes state fields; `undefined` values delete the field. */
  updateState(feedId: string, patch: Partial<FeedState>): Promise<void>;
  /** Story identities of `identities` that this feed has not seen yet (same order). */
  unseen(feedId: string, identities: string[]): Promise<boolean[]>;
  /** Marks identities as seen now and forgets ones not seen for `retentionMs`. */
  markSeen(feedId: string, identities: string[], now: number, retentionMs: number): Promise<void>;
  /** Who wants this feed: `operator` and/or workspace keys. */
  owners(feedId: string): Promise<string[]>;
  addOwner(feedId: string, owner: string): Promise<void>;
  /** Removes an owner; returns how many remain. */
  removeOwner(feedId: string, owner: string): Promise<number>;
  /** Ids of the feeds the operator configured (catalog or FEEDS_FILE) at the last sync. */
  operatorFeedIds(): Promise<string[]>;
  setOperatorFeedIds(ids: string[]): Promise<void>;
  /** Takes the per-feed poll lock; returns a release function, or undefined if it is held. */
  lock(feedId: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

const NUMBER_FIELDS = [
  'intervalSeconds',
  'baselinedAt',
  'lastPolledAt',
  'lastSuccessAt',
  'failures',
  'firstFailureAt',
  'nextPollAfter',
  'disabledAt',
] as const;
const STRING_FIELDS = ['id', 'url', 'name', 'language', 'etag', 'lastModified', 'lastError', 'disabledReason'] as const;

function fromHash(hash: Record<string, string>): Feed | undefined {
  if (hash.id === undefined || hash.url === undefined) return undefined;
  const feed: Record<string, string | number> = { failures: 0, intervalSeconds: 300 };
  for (const f of STRING_FIELDS) if (hash[f] !== undefined) feed[f] = hash[f];
  for (const f of NUMBER_FIELDS) {
    const n = Number(hash[f]);
    if (hash[f] !== undefined && Number.isFinite(n)) feed[f] = n;
  }
  feed.name ??= String(feed.url);
  return feed as unknown as Feed;
}

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Feed store on Redis: one hash per feed, one ZSET of seen identities per feed. */
export function createRedisFeedStore(redis: Redis, keys: Keys): FeedStore {
  return {
    async upsert(def) {
      const fields: Record<string, string> = {
        id: def.id,
        url: def.url,
        name: def.name,
        intervalSeconds: String(def.intervalSeconds),
      };
      const multi = redis.multi().hset(keys.feed(def.id), fields).sadd(keys.feedIds, def.id);
      if (def.language !== undefined) multi.hset(keys.feed(def.id), 'language', def.language);
      else multi.hdel(keys.feed(def.id), 'language');
      await multi.exec();
    },
    async get(feedId) {
      return fromHash(await redis.hgetall(keys.feed(feedId)));
    },
    async list() {
      const ids = await redis.smembers(keys.feedIds);
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(keys.feed(id));
      const results = (await pipeline.exec()) ?? [];
      return results
        .map(([err, hash]) => (err ? undefined : fromHash(hash as Record<string, string>)))
        .filter((f): f is Feed => f !== undefined);
    },
    async remove(feedId) {
      await redis.multi().del(keys.feed(feedId), keys.feedSeen(feedId), keys.feedOwners(feedId)).srem(keys.feedIds, feedId).exec();
    },
    async updateState(feedId, patch) {
      const set: Record<string, string> = {};
      const del: string[] = [];
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) del.push(field);
        else set[field] = String(value);
      }
      const multi = redis.multi();
      if (Object.keys(set).length > 0) multi.hset(keys.feed(feedId), set);
      if (del.length > 0) multi.hdel(keys.feed(feedId), ...del);
      await multi.exec();
    },
    async unseen(feedId, identities) {
      if (identities.length === 0) return [];
      const scores = await redis.zmscore(keys.feedSeen(feedId), ...identities);
      return scores.map((s) => s === null);
    },
    async markSeen(feedId, identities, now, retentionMs) {
      const multi = redis.multi();
      if (identities.length > 0) {
        multi.zadd(keys.feedSeen(feedId), ...identities.flatMap((id) => [now, id]));
      }
      multi.zremrangebyscore(keys.feedSeen(feedId), '-inf', now - retentionMs);
      await multi.exec();
    },
    async owners(feedId) {
      return await redis.smembers(keys.feedOwners(feedId));
    },
    async addOwner(feedId, owner) {
      await redis.sadd(keys.feedOwners(feedId), owner);
    },
    async removeOwner(feedId, owner) {
      const results = await redis.multi().srem(keys.feedOwners(feedId), owner).scard(keys.feedOwners(feedId)).exec();
      return Number(results?.[1]?.[1] ?? 0);
    },
    async operatorFeedIds() {
      return await redis.smembers(keys.operatorFeedIds);
    },
    async setOperatorFeedIds(ids) {
      const multi = redis.multi().del(keys.operatorFeedIds);
      if (ids.length > 0) multi.sadd(keys.operatorFeedIds, ...ids);
      await multi.exec();
    },
    async lock(feedId, ttlMs) {
      const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      const ok = await redis.set(keys.feedLock(feedId), token, 'PX', ttlMs, 'NX');
      if (ok !== 'OK') return undefined;
      return async () => {
        await redis.eval(RELEASE_LOCK, 1, keys.feedLock(feedId), token);
      };
    },
  };
}
