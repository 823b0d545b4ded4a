import type { Config } from '../config/env.js';
import { createArticleFetcher, createArticleSource } from '../feeds/article-fetch.js';
import { createModelSummarizer } from '../feeds/article-llm.js';
import { createStorySummarizer } from '../feeds/article-summary.js';
import { createFeedFetcher } from '../feeds/fetch.js';
import type { Logger } from '../log.js';
import { createMetrics } from '../ops/metrics.js';
import { createQueues } from '../queues/queues.js';
import type { WorkerContext } from '../queues/worker.js';
import { createRedisAlertStats } from '../storage/chat-stores.js';
import { createRedisChannelStore } from '../storage/channel-store.js';
import { createRedisClusterStore } from '../storage/cluster-store.js';
import { createRedisCounters } from '../storage/counters.js';
import { createRedisDeliveryLedger } from '../storage/delivery-ledger.js';
import { createRedisSearchIndex } from '../storage/search-index.js';
import { createRedisEventLog } from '../storage/event-log.js';
import { createRedisFeedStore } from '../storage/feed-store.js';
import { createKeys } from '../storage/keys.js';
import { checkRedisSetup } from '../storage/redis-check.js';
import { createRedis } from '../storage/redis.js';
import { createRedisStoryStore } from '../storage/story-store.js';
import { createRedisSubscriptionStore } from '../storage/subscription-store.js';
import { createTopicSync } from '../storage/topic-sync.js';

/** The dependencies every role shares, built once per process, with one close() for all. */
export interface Runtime {
  ctx: WorkerContext;
  close(): Promise<void>;
}

/** Connects to Redis, checks it, and wires stores, queues and the fetcher. */
export async function createRuntime(config: Config, log: Logger): Promise<Runtime> {
  const redis = createRedis(config.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  try {
    await checkRedisSetup(redis, log);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const keys = createKeys(config.REDIS_PREFIX);
  const queues = createQueues(redis, config.REDIS_PREFIX);
  const fetcher = createFeedFetcher({ allowList: config.FEED_ALLOW_PRIVATE_HOSTS });
  // Article pages go through the same guard and allow-list as feeds, with tighter limits.
  const articleFetcher = config.SUMMARY_FETCH_ARTICLES ? createArticleFetcher({ allowList: config.FEED_ALLOW_PRIVATE_HOSTS }) : undefined;
  const subscriptions = createRedisSubscriptionStore(redis, keys);
  const retentionMs = config.STORY_RETENTION_DAYS * 86_400_000;
  const feeds = createRedisFeedStore(redis, keys);
  const stories = createRedisStoryStore(redis, keys, retentionMs);
  const ctx: WorkerContext = {
    config,
    log,
    redis,
    keys,
    feeds,
    stories,
    events: createRedisEventLog(redis, keys),
    subscriptions,
    clusters: createRedisClusterStore(redis, keys),
    topics: createTopicSync(subscriptions, log),
    search: createRedisSearchIndex(redis, keys, stories, feeds, retentionMs),
    ledger: createRedisDeliveryLedger(redis, keys),
    alertStats: createRedisAlertStats(redis, keys),
    counters: createRedisCounters(redis, keys),
    channels: createRedisChannelStore(redis, keys),
    metrics: createMetrics(() => queues.all()),
    senders: {},
    queues,
    fetcher,
    summaries: createStorySummarizer({
      stories,
      log,
      articles: articleFetcher && createArticleSource({ redis, keys, fetcher: articleFetcher, log, now: () => Date.now() }),
      model:
        config.SUMMARY_LLM_URL !== undefined && config.SUMMARY_LLM_MODEL !== undefined
          ? createModelSummarizer({
              url: config.SUMMARY_LLM_URL,
              model: config.SUMMARY_LLM_MODEL,
              apiKey: config.SUMMARY_LLM_API_KEY,
              timeoutMs: config.SUMMARY_LLM_TIMEOUT_SECONDS * 1000,
            })
          : undefined,
    }),
    now: () => Date.now(),
  };
  return {
    ctx,
    async close() {
      await queues.close();
      await fetcher.close();
      await articleFetcher?.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
