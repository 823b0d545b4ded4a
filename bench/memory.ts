import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { loadConfig } from '../src/config/env.js';
import { feedIdFor, type FeedDefinition } from '../src/core/feed.js';
import { createLogger } from '../src/log.js';
import { createRuntime } from '../src/modes/runtime.js';
import { syncOperatorFeeds } from '../src/queues/scheduler.js';
import { topicIdFor } from '../src/storage/subscription-store.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { cliBuilt, startNewshound } from '../test/support/reliability.js';
import { startFeedServer } from './ingest.js';

/**
 * Memory: Redis bytes per stored story and per subscription, and the resident memory of the real
 * CLI worker (`newshound start --role worker`) polling 2,000 feeds (20 items, ~20 kB each).
 */

const FEEDS = 2_000;
const CHANNELS = 2_000;
const TOPICS_PER_CHANNEL = 5;
const TOPIC_POOL = 1_000;

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

export async function run(): Promise<Record<string, unknown>> {
  if (!cliBuilt()) throw new Error('the memory bench runs the built CLI: npm run build first (npm run bench does)');
  const redis = await startRedisServer();
  const server = await startFeedServer(FEEDS);
  const prefix = '{bench-memory}';
  const runtime = await createRuntime(loadConfig({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1' }), createLogger({ level: 'silent', pretty: false }));
  const r = runtime.ctx.redis;
  const worker = startNewshound({ cli: 'worker' }, { REDIS_URL: redis.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', SUMMARY_FETCH_ARTICLES: 'false' });
  try {
    const idle = await (async () => {
      // Wait for the worker to be up, then take its idle footprint.
      const until = Date.now() + 30_000;
      while (String(await r.client('LIST')).split('\n').filter((l) => l.includes('newshound:worker')).length < 2) {
        if (Date.now() > until) throw new Error('the worker did not connect');
        await new Promise((res) => setTimeout(res, 100));
      }
      await new Promise((res) => setTimeout(res, 1_000));
      return rssMb(worker.pid);
    })();

    const defs: FeedDefinition[] = Array.from({ length: FEEDS }, (_, i) => ({ id: feedIdFor(server.url(i)), url: server.url(i), name: `Bench ${i}`, intervalSeconds: 300 }));
    await syncOperatorFeeds(runtime.ctx.queues, runtime.ctx.feeds, defs);
    const beforeStories = await usedMemory(r);
    const t0 = Date.now();
    let peak = idle.peak;
    for (;;) {
      const states = await runtime.ctx.feeds.list();
      peak = Math.max(peak, rssMb(worker.pid).peak);
      if (states.filter((f) => f.baselinedAt !== undefined).length >= FEEDS) break;
      if (Date.now() - t0 > 300_000) throw new Error('2,000 feeds were not polled within 5 minutes');
      await new Promise((res) => setTimeout(res, 500));
    }
    const pollSeconds = (Date.now() - t0) / 1000;
    const afterStories = await usedMemory(r);
    const stories = await r.zcard(runtime.ctx.keys.storiesByTime);
    // The story record alone, averaged over a sample.
    const sample = await r.zrange(runtime.ctx.keys.storiesByTime, 0, 199);
    let recordBytes = 0;
    for (const id of sample) recordBytes += Number(await r.memory('USAGE', runtime.ctx.keys.story(id)));
    const afterRound = rssMb(worker.pid);

    // Subscriptions: 2,000 channels × 5 topics out of a pool of 1,000 queries.
    const beforeSubs = await usedMemory(r);
    for (let c = 0; c < CHANNELS; c++) {
      for (let t = 0; t < TOPICS_PER_CHANNEL; t++) {
        const canonical = `topic${(c * 7 + t * 131) % TOPIC_POOL} harbour`;
        await runtime.ctx.subscriptions.subscribe({ platform: 'discord', workspaceId: String(c % 50), channelId: String(100_000_000_000_000_000n + BigInt(c)) }, { id: topicIdFor(canonical), canonical }, { id: 'U1' }, Date.now(), 25);
      }
    }
    const subscriptions = CHANNELS * TOPICS_PER_CHANNEL;
    const subsBytes = (await usedMemory(r)) - beforeSubs;

    const figures = {
      feeds: FEEDS,
      storiesStored: stories,
      redisBytesPerStory: Math.round((afterStories - beforeStories) / stories),
      storyRecordBytes: Math.round(recordBytes / sample.length),
      subscriptions,
      redisBytesPerSubscription: Math.round(subsBytes / subscriptions),
      workerRssIdleMb: idle.rss,
      workerRssAfterPollingMb: afterRound.rss,
      workerPeakRssMb: Math.max(peak, afterRound.peak),
      firstPollOfAllFeedsSeconds: Number(pollSeconds.toFixed(1)),
    };
    console.table([figures]);
    console.log('Redis bytes per story: everything the first poll of 2,000 feeds added (story records, time and search indexes, seen sets, feed state, queue bookkeeping) ÷ stories stored.');
    console.log('Redis bytes per subscription: subscription hash, channel and topic indexes, topics shared by several channels, the topic change stream.');
    console.log('Worker RSS: the CLI worker process (all queues) before, and after its first poll of every feed (which stores every item).');
    return figures;
  } finally {
    worker.kill('SIGTERM');
    await worker.exited;
    await runtime.close();
    await server.close();
    await redis.stop();
  }
}
