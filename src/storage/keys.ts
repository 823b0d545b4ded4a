/**
 * Every Redis key Newshound uses, built in one place. The prefix is a hash tag (`{newshound}`),
 * so all keys share one Redis Cluster slot and multi-key scripts work on a cluster. BullMQ
 * queues use the same prefix; their names (src/queues/names.ts) never collide with these.
 */
export function createKeys(prefix: string) {
  return {
    prefix,
    /** SET of every feed id known to this installation. */
    feedIds: `${prefix}:feeds`,
    /** SET of the feed ids the operator configured (catalog or FEEDS_FILE). */
    operatorFeedIds: `${prefix}:feeds:operator`,
    /** HASH: a feed's definition and polling state. */
    feed: (feedId: string) => `${prefix}:feed:${feedId}`,
    /** ZSET: story identities seen in this feed → last time seen (ms). */
    feedSeen: (feedId: string) => `${prefix}:feed:${feedId}:seen`,
    /** STRING with PX: the per-feed poll lock, so one feed is never polled twice at once. */
    feedLock: (feedId: string) => `${prefix}:feed:${feedId}:lock`,
    /** STRING (JSON) with EX: one stored story. */
    story: (storyId: string) => `${prefix}:story:${storyId}`,
    /** ZSET: story id → first seen (ms); the time index used for retention and search. */
    storiesByTime: `${prefix}:stories:by-time`,
    /** STREAM: events for people (feed disabled ...), read by the chat adapters. */
    events: `${prefix}:events`,
  };
}

export type Keys = ReturnType<typeof createKeys>;
