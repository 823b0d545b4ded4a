import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { htmlToText } from '../src/core/html-text.js';
import { parseQuery } from '../src/core/query/parser.js';
import { storyFromItem } from '../src/core/story.js';
import { createRedisFeedStore } from '../src/storage/feed-store.js';
import { createKeys } from '../src/storage/keys.js';
import { createRedisSearchIndex } from '../src/storage/search-index.js';
import { createRedisStoryStore } from '../src/storage/story-store.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { buildCorpus, generateStories, generateTopics } from './match-corpus.js';

/**
 * `/news <query>` at scale: 100,000 stored stories (first seen over the last 10 days) in a
 * private redis-server, searched with realistic topic queries through the real search index
 * (word postings + verification with the matcher). Reports latency percentiles and Redis bytes
 * per stored story (story record plus its index entries).
 */

const STORIES = 100_000;
const QUERIES = 400;
const WINDOW_MS = 7 * 86_400_000;
const SPREAD_MS = 10 * 86_400_000;
const TARGET_P95_MS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

export async function run(): Promise<Record<string, unknown>> {
  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  try {
    const keys = createKeys('{bench}');
    const retention = 14 * 86_400_000;
    const stories = createRedisStoryStore(redis, keys, retention);
    const feeds = createRedisFeedStore(redis, keys);
    const search = createRedisSearchIndex(redis, keys, stories, feeds, retention);
    await feeds.addOwner('bench-feed', 'operator');

    const corpus = buildCorpus();
    const generated = generateStories(corpus, STORIES, 11);
    const now = Date.now();
    const memoryBefore = await usedMemory(redis);
    const t0 = performance.now();
    const BATCH = 250;
    for (let i = 0; i < generated.length; i += BATCH) {
      await Promise.all(
        generated.slice(i, i + BATCH).map(async (g, j) => {
          const n = i + j;
          const seenAt = new Date(now - Math.floor((n / STORIES) * SPREAD_MS));
          const story = storyFromItem(
            { title: g.title, content: g.content, contentSnippet: htmlToText(g.content), link: `https://bench.example/${n}`, isoDate: seenAt.toISOString() },
            `url:bench.example/${n}`,
            { id: 'bench-feed', name: 'Bench' },
            seenAt,
          );
          if (await stories.add(story)) await search.index(story);
        }),
      );
    }
    const ingestSeconds = (performance.now() - t0) / 1000;
    const bytesPerStory = Math.round(((await usedMemory(redis)) - memoryBefore) / STORIES);

    const queries = generateTopics(corpus, QUERIES, 23, (q) => parseQuery(q).canonical).map((q) => parseQuery(q));
    const latencies: number[] = [];
    let results = 0;
    let empty = 0;
    for (const query of queries) {
      const started = performance.now();
      const hits = await search.search(query, { workspace: 'discord:bench', sinceMs: Date.now() - WINDOW_MS, limit: 5 });
      latencies.push(performance.now() - started);
      results += hits.length;
      if (hits.length === 0) empty++;
    }
    latencies.sort((a, b) => a - b);
    const figures = {
      stories: STORIES,
      queries: QUERIES,
      ingestStoriesPerSecond: Math.round(STORIES / ingestSeconds),
      redisBytesPerStory: bytesPerStory,
      p50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
      p95Ms: Number(percentile(latencies, 0.95).toFixed(1)),
      p99Ms: Number(percentile(latencies, 0.99).toFixed(1)),
      maxMs: Number((latencies.at(-1) ?? 0).toFixed(1)),
      meanResults: Number((results / QUERIES).toFixed(2)),
      queriesWithoutResults: empty,
      targetP95Ms: TARGET_P95_MS,
      meetsTarget: percentile(latencies, 0.95) < TARGET_P95_MS,
    };
    console.table([figures]);
    return figures;
  } finally {
    redis.disconnect();
    await server.stop();
  }
}
