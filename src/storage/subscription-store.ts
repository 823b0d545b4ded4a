import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { destinationKey, parseDestinationKey, workspaceKey, type Destination } from '../core/destination.js';
import { formatDeliveryMode, parseDeliveryMode, type DeliveryMode } from '../core/schedule.js';
import type { Keys } from './keys.js';

/** A channel's use of a topic. */
export interface Subscription {
  /** Globally unique: `<destination key>#<number>`. */
  key: string;
  /** Short id shown to people in that channel (`unsubscribe 2`). */
  number: number;
  destination: Destination;
  topicId: string;
  /** The topic's canonical query. */
  query: string;
  addedBy: string;
  addedByName?: string;
  addedAt: number;
  active: boolean;
  /** Why alerts stopped (missing access, channel deleted ...), when not active. */
  inactiveReason?: string;
  /** Instant alerts, or an hourly/daily digest. */
  mode: DeliveryMode;
}

/** A topic: one canonical query, shared by every channel subscribed to it. */
export interface Topic {
  id: string;
  canonical: string;
}

export type SubscribeResult =
  | { status: 'added'; subscription: Subscription; newTopic: boolean }
  | { status: 'exists'; subscription: Subscription }
  | { status: 'full'; limit: number };

/** Topics and subscriptions. Topics exist while at least one active subscription uses them. */
export interface SubscriptionStore {
  subscribe(dest: Destination, topic: Topic, by: { id: string; name?: string }, now: number, maxPerChannel: number): Promise<SubscribeResult>;
  /** Removes a channel's subscription to a topic; the topic goes when its last user does. */
  unsubscribe(dest: Destination, topicId: string): Promise<Subscription | undefined>;
  /** A channel's subscriptions, by number. */
  list(dest: Destination): Promise<Subscription[]>;
  /** Sets how a channel's topic is delivered; undefined when the channel has no such topic. */
  setMode(dest: Destination, topicId: string, mode: DeliveryMode): Promise<Subscription | undefined>;
  /** "Mute this source for this topic": its stories no longer match this subscription. */
  muteSource(subKey: string, source: string): Promise<void>;
  /** Muted sources of each subscription key. */
  mutedSources(subKeys: readonly string[]): Promise<Map<string, Set<string>>>;
  /** Every subscription of the installation (for the status page; scans, so not for hot paths). */
  all(): Promise<Subscription[]>;
  /** Channels of a workspace that have (or had) subscriptions. */
  channelsOf(workspace: string): Promise<Destination[]>;
  /** Active subscriptions of the given topics. */
  activeForTopics(topicIds: readonly string[]): Promise<Subscription[]>;
  /** Every topic with an active subscription. */
  topics(): Promise<Topic[]>;
  /** Stops alerts to a channel (all its subscriptions), keeping them listed with the reason. */
  deactivateDestination(dest: Destination, reason: string): Promise<number>;
  /** Topic changes after stream id `afterId` ('0' = from the start), oldest first. */
  changesAfter(afterId: string, count: number): Promise<Array<{ id: string; op: 'add' | 'remove'; topic: Topic }>>;
  /** Id of the oldest change still kept, or undefined when there is none. */
  oldestChangeId(): Promise<string | undefined>;
  /** Id of the newest change, or '0' when there is none. */
  latestChangeId(): Promise<string>;
}

/** Topic id for a canonical query. */
export function topicIdFor(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

const TOPIC_CHANGES_MAX_LEN = 100_000;

// KEYS: channelSubs, topicIds, topicChanges, topicHash, topicSubs, subHash
// ARGV: topicId, number, subKey, canonical, now, maxPerChannel, maxLen, then field/value pairs of the subscription
const SUBSCRIBE = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return {'exists', existing} end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[6]) then return {'full', ARGV[6]} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[6], unpack(ARGV, 8))
redis.call('SADD', KEYS[5], ARGV[3])
local newTopic = 0
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  newTopic = 1
  redis.call('HSET', KEYS[4], 'id', ARGV[1], 'canonical', ARGV[4], 'createdAt', ARGV[5])
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', 'op', 'add', 'topicId', ARGV[1], 'canonical', ARGV[4])
end
return {'added', ARGV[2], newTopic}
`;

// KEYS: topicIds, topicChanges, topicHash, topicSubs ; ARGV: topicId, subKey, maxLen
// Takes one subscription out of its topic; drops the topic when nobody uses it any more.
const RELEASE_TOPIC = `
redis.call('SREM', KEYS[4], ARGV[2])
if redis.call('SCARD', KEYS[4]) == 0 and redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
  local canonical = redis.call('HGET', KEYS[3], 'canonical') or ''
  redis.call('DEL', KEYS[3])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'op', 'remove', 'topicId', ARGV[1], 'canonical', canonical)
end
return 1
`;

function toSubscription(hash: Record<string, string>): Subscription | undefined {
  if (!hash.key || !hash.topicId || !hash.dest) return undefined;
  const sub: Subscription = {
    key: hash.key,
    number: Number(hash.number),
    destination: parseDestinationKey(hash.dest),
    topicId: hash.topicId,
    query: hash.query ?? '',
    addedBy: hash.addedBy ?? '',
    addedAt: Number(hash.addedAt ?? 0),
    active: hash.active !== '0',
    mode: parseDeliveryMode(hash.mode ?? 'instant') ?? { kind: 'instant' },
  };
  if (hash.addedByName) sub.addedByName = hash.addedByName;
  if (hash.inactiveReason) sub.inactiveReason = hash.inactiveReason;
  return sub;
}

export function createRedisSubscriptionStore(redis: Redis, keys: Keys): SubscriptionStore {
  const subKeyOf = (destKey: string, n: number | string) => `${destKey}#${n}`;
  const release = async (topicId: string, subKey: string) => {
    await redis.eval(RELEASE_TOPIC, 4, keys.topicIds, keys.topicChanges, keys.topic(topicId), keys.topicSubs(topicId), topicId, subKey, TOPIC_CHANGES_MAX_LEN);
  };
  const getMany = async (subKeys: string[]): Promise<Subscription[]> => {
    if (subKeys.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const k of subKeys) pipeline.hgetall(keys.subscription(k));
    const rows = (await pipeline.exec()) ?? [];
    return rows.map(([, h]) => toSubscription(h as Record<string, string>)).filter((s): s is Subscription => s !== undefined);
  };
  const store: SubscriptionStore = {
    async subscribe(dest, topic, by, now, maxPerChannel) {
      const destKey = destinationKey(dest);
      const n = await redis.incr(keys.channelSeq(destKey));
      const subKey = subKeyOf(destKey, n);
      const fields: Record<string, string> = {
        key: subKey,
        number: String(n),
        dest: destKey,
        topicId: topic.id,
        query: topic.canonical,
        addedBy: by.id,
        addedAt: String(now),
        active: '1',
        ...(by.name ? { addedByName: by.name } : {}),
      };
      const result = (await redis.eval(
        SUBSCRIBE,
        6,
        keys.channelSubs(destKey),
        keys.topicIds,
        keys.topicChanges,
        keys.topic(topic.id),
        keys.topicSubs(topic.id),
        keys.subscription(subKey),
        topic.id,
        String(n),
        subKey,
        topic.canonical,
        String(now),
        String(maxPerChannel),
        String(TOPIC_CHANGES_MAX_LEN),
        ...Object.entries(fields).flat(),
      )) as [string, string, number?];
      if (result[0] === 'full') return { status: 'full', limit: maxPerChannel };
      if (result[0] === 'added') await redis.sadd(keys.workspaceChannels(workspaceKey(dest)), destKey);
      const existing = toSubscription(await redis.hgetall(keys.subscription(subKeyOf(destKey, result[1]))));
      if (existing === undefined) throw new Error('subscription record missing');
      if (result[0] === 'exists') return { status: 'exists', subscription: existing };
      return { status: 'added', subscription: existing, newTopic: result[2] === 1 };
    },
    async unsubscribe(dest, topicId) {
      const destKey = destinationKey(dest);
      const n = await redis.hget(keys.channelSubs(destKey), topicId);
      if (n === null) return undefined;
      const subKey = subKeyOf(destKey, n);
      const sub = toSubscription(await redis.hgetall(keys.subscription(subKey)));
      await redis.multi().hdel(keys.channelSubs(destKey), topicId).del(keys.subscription(subKey), keys.mutedSources(subKey)).exec();
      await release(topicId, subKey);
      return sub;
    },
    async list(dest) {
      const destKey = destinationKey(dest);
      const numbers = Object.values(await redis.hgetall(keys.channelSubs(destKey)));
      const subs = await getMany(numbers.map((n) => subKeyOf(destKey, n)));
      return subs.sort((a, b) => a.number - b.number);
    },
    async setMode(dest, topicId, mode) {
      const destKey = destinationKey(dest);
      const n = await redis.hget(keys.channelSubs(destKey), topicId);
      if (n === null) return undefined;
      await redis.hset(keys.subscription(subKeyOf(destKey, n)), 'mode', formatDeliveryMode(mode));
      return toSubscription(await redis.hgetall(keys.subscription(subKeyOf(destKey, n))));
    },
    async muteSource(subKey, source) {
      await redis.sadd(keys.mutedSources(subKey), source);
    },
    async mutedSources(subKeys) {
      const out = new Map<string, Set<string>>();
      if (subKeys.length === 0) return out;
      const pipeline = redis.pipeline();
      for (const k of subKeys) pipeline.smembers(keys.mutedSources(k));
      const rows = (await pipeline.exec()) ?? [];
      subKeys.forEach((k, i) => {
        const members = (rows[i]?.[1] as string[] | undefined) ?? [];
        if (members.length > 0) out.set(k, new Set(members));
      });
      return out;
    },
    async all() {
      const found: string[] = [];
      const marker = keys.subscription('');
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${marker.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
        cursor = next;
        found.push(...batch.map((k) => k.slice(marker.length)));
      } while (cursor !== '0');
      return (await getMany(found)).sort((a, b) => a.key.localeCompare(b.key) || a.number - b.number);
    },
    async channelsOf(workspace) {
      return (await redis.smembers(keys.workspaceChannels(workspace))).map(parseDestinationKey);
    },
    async activeForTopics(topicIds) {
      if (topicIds.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of topicIds) pipeline.smembers(keys.topicSubs(id));
      const rows = (await pipeline.exec()) ?? [];
      const subKeys = [...new Set(rows.flatMap(([, members]) => members as string[]))];
      return (await getMany(subKeys)).filter((s) => s.active);
    },
    async topics() {
      const ids = await redis.smembers(keys.topicIds);
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keys.topic(id), 'canonical');
      const rows = (await pipeline.exec()) ?? [];
      return ids.flatMap((id, i) => {
        const canonical = rows[i]?.[1];
        return typeof canonical === 'string' ? [{ id, canonical }] : [];
      });
    },
    async deactivateDestination(dest, reason) {
      const subs = (await store.list(dest)).filter((s) => s.active);
      for (const sub of subs) {
        await redis.hset(keys.subscription(sub.key), { active: '0', inactiveReason: reason.slice(0, 300) });
        await release(sub.topicId, sub.key);
      }
      return subs.length;
    },
    async changesAfter(afterId, count) {
      const start = afterId === '0' ? '-' : `(${afterId}`;
      const rows = await redis.xrange(keys.topicChanges, start, '+', 'COUNT', count);
      return rows.map(([id, fields]) => {
        const f: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        return { id, op: f.op === 'remove' ? ('remove' as const) : ('add' as const), topic: { id: f.topicId ?? '', canonical: f.canonical ?? '' } };
      });
    },
    async oldestChangeId() {
      const rows = await redis.xrange(keys.topicChanges, '-', '+', 'COUNT', 1);
      return rows[0]?.[0];
    },
    async latestChangeId() {
      const rows = await redis.xrevrange(keys.topicChanges, '+', '-', 'COUNT', 1);
      return rows[0]?.[0] ?? '0';
    },
  };
  return store;
}
