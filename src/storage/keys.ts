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
    /** SET: who wants a feed: `operator` and/or workspace keys (`discord:<guild>`). */
    feedOwners: (feedId: string) => `${prefix}:feed:${feedId}:owners`,
    /** HASH: one topic (canonical query) shared by every channel subscribed to it. */
    topic: (topicId: string) => `${prefix}:topic:${topicId}`,
    /** SET: ids of topics with at least one subscription (what matching compiles). */
    topicIds: `${prefix}:topics`,
    /** STREAM: topic added/removed, replayed by every worker to keep its index in sync. */
    topicChanges: `${prefix}:topics:changes`,
    /** SET: subscription keys of a topic. */
    topicSubs: (topicId: string) => `${prefix}:topic:${topicId}:subs`,
    /** HASH: one subscription (a channel's use of a topic). */
    subscription: (subKey: string) => `${prefix}:sub:${subKey}`,
    /** HASH: a channel's subscriptions, topic id → subscription number. */
    channelSubs: (destKey: string) => `${prefix}:channel:${destKey}:subs`,
    /** SET: destination keys of a workspace's channels that ever subscribed (for notices). */
    workspaceChannels: (workspace: string) => `${prefix}:workspace:${workspace}:channels`,
    /** STRING counter: the last subscription number handed out in a channel. */
    channelSeq: (destKey: string) => `${prefix}:channel:${destKey}:seq`,
    /** STRING with EX: the cluster a story belongs to. */
    storyCluster: (storyId: string) => `${prefix}:story:${storyId}:cluster`,
    /** HASH with EX: a cluster of stories about one event (first story, created). */
    cluster: (clusterId: string) => `${prefix}:cluster:${clusterId}`,
    /** HASH with EX: MinHash signature (JSON) of each story of a cluster. */
    clusterSignatures: (clusterId: string) => `${prefix}:cluster:${clusterId}:signatures`,
    /** ZSET with EX: stories of a cluster → first seen (ms). */
    clusterStories: (clusterId: string) => `${prefix}:cluster:${clusterId}:stories`,
    /** SET with EX: clusters whose signature has this LSH band. */
    clusterBand: (band: string) => `${prefix}:cluster-band:${band}`,
    /** STRING with PX: serializes cluster assignment so two copies never found two clusters. */
    clusterLock: `${prefix}:cluster-lock`,
    /** ZSET: stories containing a word → first seen (ms); the search index. */
    searchWord: (word: string) => `${prefix}:search:w:${word}`,
    /** ZSET (all scores 0): every indexed word, for prefix (`tik*`) lookups by lexical range. */
    searchWords: `${prefix}:search:words`,
    /** ZSET: stories containing a 1- or 2-character piece of a space-less script run (CJK, Thai). */
    searchGram: (gram: string) => `${prefix}:search:g:${gram}`,
    /** STRING counter with PX: a user's commands in the current rate-limit window. */
    rateLimit: (userKey: string, window: number) => `${prefix}:ratelimit:${userKey}:${window}`,
    /** HASH with EX: alerts per topic id delivered to a channel on one UTC day (yyyymmdd). */
    alertStats: (destKey: string, day: string) => `${prefix}:stats:${destKey}:${day}`,
    /** STRING (JSON) with EX: the payload behind a button. */
    action: (token: string) => `${prefix}:action:${token}`,
    /** SET: feed ids a workspace added from chat. */
    workspaceFeeds: (workspace: string) => `${prefix}:workspace:${workspace}:feeds`,
    /** HASH with EX: the delivery ledger entry of one (channel, story cluster): one alert, ever. */
    ledger: (destKey: string, clusterId: string) => `${prefix}:ledger:${destKey}:${clusterId}`,
    /** STRING with PX: serializes edits of one ledger entry's message. */
    ledgerEditLock: (destKey: string, clusterId: string) => `${prefix}:ledger:${destKey}:${clusterId}:edit-lock`,
    /** STRING counter with EX: "forbidden" answers from a channel in the last hour. */
    forbiddenCount: (destKey: string) => `${prefix}:forbidden:${destKey}`,
    /** HASH with PX: a channel's send pacing (`tat`: theoretical arrival time in ms, `epoch`: bumped by a 429). */
    channelPace: (destKey: string) => `${prefix}:pace:${destKey}`,
    /** STRING with PX: the send slot (`epoch:ms`) a delayed delivery job reserved in its channel. */
    paceTicket: (jobId: string) => `${prefix}:pace-ticket:${jobId}`,
    /** STRING (JSON) with EX: an article page's extracted text (or why there is none), by URL hash. */
    articleText: (urlHash: string) => `${prefix}:article:${urlHash}`,
    /** STRING counter with PX: article fetches from a host in one time window; politeness across processes. */
    articleHostWindow: (host: string, window: number) => `${prefix}:article-host:${host}:${window}`,
    /** HASH: operational counters (deliveries posted, errors by kind ...). */
    counters: `${prefix}:counters`,
    /** HASH: a channel's delivery settings (time zone, quiet hours, breaking-news mention). */
    channelSettings: (destKey: string) => `${prefix}:channel:${destKey}:settings`,
    /** ZSET with EX: stories held for a channel's digest bucket (`quiet`, `hourly`, `daily-0800`) → time. */
    heldOrder: (destKey: string, bucket: string) => `${prefix}:held:${destKey}:${bucket}`,
    /** HASH with EX: the held stories' payloads (story id → JSON). */
    heldData: (destKey: string, bucket: string) => `${prefix}:held:${destKey}:${bucket}:data`,
    /** STRING with EX: a story cluster muted in a channel ("no follow-ups"). */
    mutedCluster: (destKey: string, clusterId: string) => `${prefix}:muted:${destKey}:${clusterId}`,
    /** SET: digest buckets a channel has schedules for (`hourly`, `daily-0800`). */
    digestBuckets: (destKey: string) => `${prefix}:channel:${destKey}:digest-buckets`,
    /** SET: sources muted for one subscription. */
    mutedSources: (subKey: string) => `${prefix}:muted-sources:${subKey}`,
    /** STREAM: events for people (feed disabled ...), read by the chat adapters. */
    events: `${prefix}:events`,
  };
}

export type Keys = ReturnType<typeof createKeys>;
