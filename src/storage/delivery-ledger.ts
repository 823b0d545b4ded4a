import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** Ledger entries outlive the 48 h cluster window comfortably. */
export const LEDGER_TTL_SECONDS = 7 * 86_400;
/** A post claimed but not confirmed for this long may be taken over by another story of the cluster. */
export const LEDGER_STALE_CLAIM_MS = 10 * 60_000;

export interface LedgerEntry {
  state: 'posting' | 'posted';
  /** The story the alert shows. */
  storyId: string;
  messageId?: string;
  /** Every story of the cluster this channel has been told about. */
  storyIds: string[];
  /** Outlets in order; the first is the alert's own source. */
  sources: string[];
  /** How many sources the posted message currently shows. */
  shownSources: number;
  /** The matched topics of the alert (JSON), to re-render it on edit. */
  topics: string;
  at: number;
  /** The cluster went out in a digest (one message for many stories): never edited into an alert. */
  digest?: boolean;
}

export type Claim =
  /** Nobody posted this cluster here: post it. `retry` means this story's own earlier attempt may have gone out. */
  | { kind: 'post'; retry: boolean }
  /** Already posted; see the entry. */
  | { kind: 'posted'; entry: LedgerEntry }
  /** Another story of the cluster is being posted right now. */
  | { kind: 'busy' };

/**
 * The delivery ledger: at most one alert per (channel, story cluster), whatever retries,
 * crashes, topics or outlets do. Claiming is atomic (Lua), so two deliveries of one cluster to
 * one channel can never both post.
 */
export interface DeliveryLedger {
  claim(destKey: string, clusterId: string, storyId: string, topicsJson: string, now: number): Promise<Claim>;
  posted(destKey: string, clusterId: string, messageId: string, source: string, opts?: { digest?: boolean }): Promise<void>;
  /** Adds another story of the cluster; returns the entry after the change. */
  addReport(destKey: string, clusterId: string, storyId: string, source: string): Promise<LedgerEntry | undefined>;
  markShown(destKey: string, clusterId: string, shown: number): Promise<void>;
  /** Forgets a claim that will never be confirmed (the channel was deactivated). */
  release(destKey: string, clusterId: string, storyId: string): Promise<void>;
  /** The entry of a (channel, cluster), if any. */
  get(destKey: string, clusterId: string): Promise<LedgerEntry | undefined>;
  /** Marks the cluster's breaking-news mention as sent; true only for the first caller. */
  markEscalated(destKey: string, clusterId: string): Promise<boolean>;
  /** Counts a "forbidden" answer from a channel; returns the count within the last hour. */
  noteForbidden(destKey: string): Promise<number>;
  /** Runs `fn` holding the edit lock of an entry; undefined when another edit holds it. */
  withEditLock<T>(destKey: string, clusterId: string, fn: () => Promise<T>): Promise<T | undefined>;
}

// KEYS[1] ledger ; ARGV: storyId, topicsJson, now, ttl, staleMs
const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'posting', 'storyId', ARGV[1], 'storyIds', cjson.encode({ARGV[1]}), 'sources', '[]', 'shownSources', '0', 'topics', ARGV[2], 'at', ARGV[3])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return {'post', '0'}
end
if state == 'posting' then
  local owner = redis.call('HGET', KEYS[1], 'storyId')
  if owner == ARGV[1] then return {'post', '1'} end
  local at = tonumber(redis.call('HGET', KEYS[1], 'at'))
  if tonumber(ARGV[3]) - at > tonumber(ARGV[5]) then
    redis.call('HSET', KEYS[1], 'storyId', ARGV[1], 'storyIds', cjson.encode({ARGV[1]}), 'topics', ARGV[2], 'at', ARGV[3])
    return {'post', '1'}
  end
  return {'busy', '0'}
end
return {'posted', '0'}
`;

// KEYS[1] ledger ; ARGV: storyId, source
const ADD_REPORT = `
if redis.call('HGET', KEYS[1], 'state') ~= 'posted' then return 0 end
local ids = cjson.decode(redis.call('HGET', KEYS[1], 'storyIds'))
local sources = cjson.decode(redis.call('HGET', KEYS[1], 'sources'))
local known = false
for _, id in ipairs(ids) do if id == ARGV[1] then known = true end end
if not known then table.insert(ids, ARGV[1]) end
local listed = false
for _, s in ipairs(sources) do if s == ARGV[2] then listed = true end end
if not listed then table.insert(sources, ARGV[2]) end
redis.call('HSET', KEYS[1], 'storyIds', cjson.encode(ids), 'sources', cjson.encode(sources))
return 1
`;

function toEntry(h: Record<string, string>): LedgerEntry | undefined {
  if (h.state !== 'posting' && h.state !== 'posted') return undefined;
  return {
    state: h.state,
    storyId: h.storyId ?? '',
    ...(h.messageId ? { messageId: h.messageId } : {}),
    storyIds: JSON.parse(h.storyIds ?? '[]') as string[],
    sources: JSON.parse(h.sources ?? '[]') as string[],
    shownSources: Number(h.shownSources ?? 0),
    topics: h.topics ?? '[]',
    at: Number(h.at ?? 0),
    ...(h.digest === '1' ? { digest: true } : {}),
  };
}

export function createRedisDeliveryLedger(redis: Redis, keys: Keys): DeliveryLedger {
  return {
    async claim(destKey, clusterId, storyId, topicsJson, now) {
      const key = keys.ledger(destKey, clusterId);
      const [kind, retry] = (await redis.eval(CLAIM, 1, key, storyId, topicsJson, String(now), LEDGER_TTL_SECONDS, LEDGER_STALE_CLAIM_MS)) as [string, string];
      if (kind === 'post') return { kind: 'post', retry: retry === '1' };
      if (kind === 'busy') return { kind: 'busy' };
      const entry = toEntry(await redis.hgetall(key));
      return entry ? { kind: 'posted', entry } : { kind: 'busy' };
    },
    async posted(destKey, clusterId, messageId, source, opts = {}) {
      await redis.hset(keys.ledger(destKey, clusterId), { state: 'posted', messageId, sources: JSON.stringify([source]), shownSources: '1', ...(opts.digest ? { digest: '1' } : {}) });
    },
    async addReport(destKey, clusterId, storyId, source) {
      const key = keys.ledger(destKey, clusterId);
      await redis.eval(ADD_REPORT, 1, key, storyId, source);
      return toEntry(await redis.hgetall(key));
    },
    async markShown(destKey, clusterId, shown) {
      await redis.hset(keys.ledger(destKey, clusterId), 'shownSources', String(shown));
    },
    async release(destKey, clusterId, storyId) {
      const key = keys.ledger(destKey, clusterId);
      await redis.eval(`if redis.call('HGET', KEYS[1], 'state') == 'posting' and redis.call('HGET', KEYS[1], 'storyId') == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, key, storyId);
    },
    async get(destKey, clusterId) {
      return toEntry(await redis.hgetall(keys.ledger(destKey, clusterId)));
    },
    async markEscalated(destKey, clusterId) {
      return (await redis.hsetnx(keys.ledger(destKey, clusterId), 'escalated', '1')) === 1;
    },
    async noteForbidden(destKey) {
      const key = keys.forbiddenCount(destKey);
      const results = await redis.multi().incr(key).expire(key, 3600, 'NX').exec();
      return Number(results?.[0]?.[1] ?? 0);
    },
    async withEditLock(destKey, clusterId, fn) {
      const lock = keys.ledgerEditLock(destKey, clusterId);
      const token = randomUUID();
      if ((await redis.set(lock, token, 'PX', 15_000, 'NX')) !== 'OK') return undefined;
      try {
        return await fn();
      } finally {
        await redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, lock, token);
      }
    },
  };
}
