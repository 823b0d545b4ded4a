import { loadConfig } from '../src/config/env.js';
import { feedIdFor, type FeedDefinition } from '../src/core/feed.js';
import { createLogger } from '../src/log.js';
import { createRuntime } from '../src/modes/runtime.js';
import { syncOperatorFeeds } from '../src/queues/scheduler.js';
import { startFakeDiscord } from '../test/fakes/fake-discord.js';
import { startFakeFeeds } from '../test/fakes/fake-feeds.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { cliBuilt, startNewshound, storyText } from '../test/support/reliability.js';
import { rss, type TestItem } from '../test/support/rss.js';

/**
 * Latency: from a change of a feed on the local server to the alert arriving at FakeDiscord,
 * with feeds polled every second by the real CLI worker (`newshound start --role worker`,
 * production timers). Changes are published every 400-800 ms at random points of the poll cycle,
 * spread over 5 channels so no channel reaches Discord's 5-per-5-s limit.
 */

const FEEDS = 10;
const CHANNELS = 5;
const SAMPLES = 100;
const KEYWORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export async function run(): Promise<Record<string, unknown>> {
  if (!cliBuilt()) throw new Error('the latency bench runs the built CLI: npm run build first (npm run bench does)');
  const redis = await startRedisServer();
  const feeds = await startFakeFeeds();
  const channels = Array.from({ length: CHANNELS }, (_, i) => String(100_000_000_000_000_700n + BigInt(i)));
  const discord = await startFakeDiscord({ guilds: [{ id: '100', channels: channels.map((id) => ({ id })) }] });
  const prefix = '{bench-latency}';
  const runtime = await createRuntime(loadConfig({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' }), createLogger({ level: 'silent', pretty: false }));
  const worker = startNewshound({ cli: 'worker' }, {
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.appId,
    DISCORD_API_URL: discord.apiBase,
    LOG_LEVEL: 'warn',
  });
  try {
    for (const [i, c] of channels.entries()) {
      await runtime.ctx.subscriptions.subscribe({ platform: 'discord', workspaceId: '100', channelId: c }, { id: `t-${KEYWORDS[i]}`, canonical: KEYWORDS[i]! }, { id: 'U1' }, Date.now(), 25);
    }
    const items: TestItem[][] = [];
    const defs: FeedDefinition[] = [];
    for (let f = 0; f < FEEDS; f++) {
      items.push(Array.from({ length: 5 }, (_, k) => ({ title: `Old story ${f}-${k}`, link: `https://bench.example/old/${f}/${k}`, pubDate: new Date(Date.now() - 3_600_000) })));
      feeds.setFeed(`/lat-${f}.xml`, rss(`Outlet ${f}`, items[f]!));
      const url = feeds.url(`/lat-${f}.xml`);
      defs.push({ id: feedIdFor(url), url, name: `Outlet ${f}`, intervalSeconds: 1 });
    }
    await syncOperatorFeeds(runtime.ctx.queues, runtime.ctx.feeds, defs);
    const deadline = Date.now() + 60_000;
    while (!(await Promise.all(defs.map((d) => runtime.ctx.feeds.get(d.id)))).every((f) => f?.baselinedAt !== undefined)) {
      if (Date.now() > deadline) throw new Error('feeds were not baselined');
      await new Promise((r) => setTimeout(r, 100));
    }

    const published = new Map<string, number>();
    for (let s = 0; s < SAMPLES; s++) {
      const f = s % FEEDS;
      const { title, lead } = storyText(800_000 + s, KEYWORDS[s % CHANNELS]!);
      items[f]!.unshift({ title, link: `https://bench.example/new/${s}`, pubDate: new Date(), description: lead });
      feeds.setFeed(`/lat-${f}.xml`, rss(`Outlet ${f}`, items[f]!));
      published.set(title, Date.now());
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 400));
    }
    const arrived = () => channels.flatMap((c) => discord.messages(c)).length;
    const until = Date.now() + 60_000;
    while (arrived() < SAMPLES && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const latencies: number[] = [];
    for (const c of channels) {
      for (const m of discord.messages(c)) {
        const at = published.get(String((m.embeds[0] as { title?: string }).title));
        if (at !== undefined) latencies.push(Date.parse(m.timestamp) - at);
      }
    }
    latencies.sort((a, b) => a - b);
    const figures = {
      pollIntervalSeconds: 1,
      samples: SAMPLES,
      delivered: latencies.length,
      p50Ms: Math.round(percentile(latencies, 0.5)),
      p90Ms: Math.round(percentile(latencies, 0.9)),
      p99Ms: Math.round(percentile(latencies, 0.99)),
      maxMs: Math.round(latencies.at(-1) ?? 0),
      minMs: Math.round(latencies[0] ?? 0),
    };
    console.table([figures]);
    console.log('From the feed change on the local server to the alert stored by FakeDiscord: up to one poll interval of waiting, then fetch, parse, match and post.');
    return figures;
  } finally {
    worker.kill('SIGTERM');
    await worker.exited;
    await runtime.close();
    await discord.close();
    await feeds.close();
    await redis.stop();
  }
}
