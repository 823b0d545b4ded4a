/**
 * R2: the real `redis-server` (AOF, appendfsync everysec) is SIGKILLed while the real CLI worker
 * (`newshound start --role worker`, production timers) polls feeds and delivers alerts, and comes
 * back after each outage. Figures per outage: how long after Redis accepted connections polling
 * and delivery resumed, alerts lost or shown twice (for stories published before, during and after
 * the outage, and for jobs acknowledged before it), how fast a chat command failed while Redis
 * was down and what it answered, and whether the worker process stayed up.
 */
import { feedIdFor, type FeedDefinition } from '../../../src/core/feed.js';
import { destinationKey, type Destination } from '../../../src/core/destination.js';
import { storyFromItem } from '../../../src/core/story.js';
import { loadConfig } from '../../../src/config/env.js';
import { createLogger } from '../../../src/log.js';
import { createChatRuntime, type ChatRuntime } from '../../../src/modes/chat-runtime.js';
import type { Runtime } from '../../../src/modes/runtime.js';
import { syncOperatorFeeds } from '../../../src/queues/scheduler.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/fake-discord.js';
import { startFakeFeeds } from '../../fakes/fake-feeds.js';
import { say } from '../../support/chat.js';
import { startKillableRedis } from '../../support/reliability-redis.js';
import { figures, reliabilityPrefix, secs, startNewshound, storyText, type NewshoundProcess } from '../../support/reliability.js';
import { rss, type TestItem } from '../../support/rss.js';
import { subscribe } from '../../support/subscriptions.js';
import { waitUntil } from '../../support/wait.js';
import { pause, platformEnv, sideRuntime } from './common.js';
import { expect } from 'vitest';

/** RELIABILITY R2: consumption resumes within 30 s of Redis accepting connections. */
export const R2_RESUME_TARGET_MS = 30_000;
/** A command while Redis is down must fail within 1 s, with a reply the user understands. */
export const R2_COMMAND_TARGET_MS = 1_000;

const FEEDS = 6;
const KEYWORD = 'tiktok';
/** Snowflake-sized ids: discord.js keys rate-limit buckets by channel only for 17-19 digit ids. */
const CHANNELS = ['100000000000000301', '100000000000000302'];
/** A channel with no backlog: its alert shows when delivery resumed. */
const PROBE_CHANNEL = '100000000000000309';

export interface R2Outage {
  seconds: number;
  pollResumeMs: number;
  deliveryResumeMs: number;
  commandMs: number[];
  commandReplies: string[];
}

export interface R2Result {
  outages: R2Outage[];
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  workerExited: boolean;
  /** Worker stderr lines that are not JSON log lines (raw stack traces printed by a library). */
  rawStderrLines: number;
  /** Error-level log lines the worker wrote during the outages. */
  errorLogLines: number;
  line: string;
}

export async function runRedisOutageScenario(outageSeconds: number[]): Promise<R2Result> {
  const redis = await startKillableRedis('aof');
  const feedsServer = await startFakeFeeds();
  const discord: FakeDiscord = await startFakeDiscord({ guilds: [{ id: '100', channels: [...CHANNELS, PROBE_CHANNEL].map((id) => ({ id })) }] });
  const prefix = reliabilityPrefix();
  let side: Runtime | undefined;
  let chat: ChatRuntime | undefined;
  let worker: NewshoundProcess | undefined;
  try {
    side = await sideRuntime(redis.url, prefix);
    const dests = CHANNELS.map((channelId): Destination => ({ platform: 'discord', workspaceId: '100', channelId }));
    for (const d of dests) await subscribe(side.ctx.subscriptions, d, KEYWORD);

    // Feeds on the fake server, polled every second; `publish` adds a story to one of them.
    const now = Date.now();
    const feedItems: TestItem[][] = [];
    const defs: FeedDefinition[] = [];
    for (let f = 0; f < FEEDS; f++) {
      feedItems.push(
        Array.from({ length: 5 }, (_, i) => {
          const { title, lead } = storyText(9_000 + f * 10 + i, KEYWORD);
          return { title, link: `https://news.example/r2/old/${f}/${i}`, guid: `r2-old-${f}-${i}`, pubDate: new Date(now - 3_600_000), description: lead };
        }),
      );
      const path = `/r2-${f}.xml`;
      feedsServer.setFeed(path, rss(`Outlet ${f}`, feedItems[f]!));
      const url = feedsServer.url(path);
      defs.push({ id: feedIdFor(url), url, name: `Outlet ${f}`, intervalSeconds: 1 });
    }
    let published = 0;
    const publishedTitles: string[] = [];
    const publish = () => {
      const f = published % FEEDS;
      const { title, lead } = storyText(20_000 + published, KEYWORD);
      feedItems[f]!.unshift({ title, link: `https://news.example/r2/new/${published}`, guid: `r2-new-${published}`, pubDate: new Date(), description: lead });
      feedsServer.setFeed(`/r2-${f}.xml`, rss(`Outlet ${f}`, feedItems[f]!));
      publishedTitles.push(title);
      published++;
    };
    // Deliveries acknowledged by Redis (the add resolved) just before an outage.
    const ackedTitles: string[] = [];
    let acked = 0;
    const addAcked = async (count: number, channelId: string) => {
      for (let i = 0; i < count; i++) {
        const { title, lead } = storyText(40_000 + acked, KEYWORD);
        const st = storyFromItem({ title, contentSnippet: lead, link: `https://news.example/r2/acked/${acked}` }, `url:news.example/r2/acked/${acked}`, { id: 'r2-direct', name: 'Direct' }, new Date());
        await side!.ctx.stories.add(st);
        await side!.ctx.queues.deliver.discord.add(
          { destination: destinationKey({ platform: 'discord', workspaceId: '100', channelId }), storyId: st.id, clusterId: st.id, topics: [{ topicId: 't', query: KEYWORD, terms: [KEYWORD] }] },
          { jobId: `r2-acked-${acked}` },
        );
        if (channelId !== PROBE_CHANNEL) ackedTitles.push(title);
        acked++;
      }
    };

    await syncOperatorFeeds(side.ctx.queues, side.ctx.feeds, defs);
    worker = startNewshound({ cli: 'worker' }, { REDIS_URL: redis.url, REDIS_PREFIX: prefix, ...platformEnv(discord) });
    let workerExited = false;
    void worker.exited.then(() => (workerExited = true));
    const config = loadConfig({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
    chat = await createChatRuntime(config, createLogger({ level: 'silent', pretty: false }));
    await waitUntil(async () => (await Promise.all(defs.map((d) => side!.ctx.feeds.get(d.id)))).every((f) => f?.baselinedAt !== undefined), 'every feed to be baselined', { timeoutMs: 30_000, intervalMs: 100 });

    const titlesIn = (c: string) => discord.messages(c).map((m) => String((m.embeds[0] as { title?: string }).title));
    const outages: R2Outage[] = [];
    for (const seconds of outageSeconds) {
      publish();
      publish();
      await addAcked(10, CHANNELS[outages.length % CHANNELS.length]!);
      await redis.kill();
      const downAt = Date.now();
      // While Redis is down: a search and a subscribe from chat must fail fast with a friendly reply.
      const commandMs: number[] = [];
      const commandReplies: string[] = [];
      for (const text of [KEYWORD, 'subscribe ukraine']) {
        const t = Date.now();
        const { problem } = await say(chat, text, { dest: dests[0] });
        commandMs.push(Date.now() - t);
        commandReplies.push(problem ? `${problem.code}: ${problem.text.replace(/\s*\(ref \w+\)$/, '')}` : 'no problem reported');
      }
      publish();
      await pause(Math.max(0, seconds * 1000 - (Date.now() - downAt)));
      const probeFrom = discord.messages(PROBE_CHANNEL).length;
      const feedRequestsBefore = feedsServer.requests.length;
      const upAt = await redis.start();
      // A delivery added the moment Redis is back, to a channel with no backlog.
      await addAcked(1, PROBE_CHANNEL);
      await waitUntil(() => feedsServer.requests.length > feedRequestsBefore, 'polling to resume', { timeoutMs: 60_000, intervalMs: 20 });
      const pollResumeMs = Date.now() - upAt;
      await waitUntil(() => discord.messages(PROBE_CHANNEL).length > probeFrom, 'delivery to resume', { timeoutMs: 60_000, intervalMs: 20 });
      const deliveryResumeMs = Date.now() - upAt;
      publish();
      outages.push({ seconds, pollResumeMs, deliveryResumeMs, commandMs, commandReplies });
    }

    // Every story published before, during and after the outages, and every acknowledged job, shows once.
    const expectedTitles = [...publishedTitles.flatMap((t) => CHANNELS.map((c) => `${c}/${t}`)), ...ackedTitles.map((t, i) => `${CHANNELS[Math.floor(i / 10) % CHANNELS.length]}/${t}`)];
    const seen = () => CHANNELS.flatMap((c) => titlesIn(c).map((t) => `${c}/${t}`));
    await waitUntil(() => expectedTitles.every((t) => seen().includes(t)), 'every published story and acknowledged job to be delivered', { timeoutMs: 90_000, intervalMs: 100 }).catch(() => undefined);
    const all = seen();
    const delivered = expectedTitles.filter((t) => all.includes(t)).length;
    const duplicates = all.length - new Set(all).size;
    const rawStderrLines = worker.logs.filter((l) => l.time === undefined).length;
    const errorLogLines = worker.logs.filter((l) => l.time !== undefined && l.level >= 50).length;
    const line = figures('R2', {
      outages: outages.map((o) => `${o.seconds} s`).join(' + '),
      'poll resumed': outages.map((o) => secs(o.pollResumeMs)).join(' / '),
      'delivery resumed': `${outages.map((o) => secs(o.deliveryResumeMs)).join(' / ')} after Redis accepted connections (target ≤ ${secs(R2_RESUME_TARGET_MS)})`,
      delivered: `${delivered}/${expectedTitles.length} (stories before/during/after, jobs acked before)`,
      lost: expectedTitles.length - delivered,
      duplicates,
      'command while down': `${outages.flatMap((o) => o.commandMs).map((ms) => `${ms} ms`).join(', ')} → "${outages[0]?.commandReplies[0] ?? ''}"`,
      'worker exited': workerExited ? 'yes' : 'no',
      'worker log': `${errorLogLines} error lines, ${rawStderrLines} raw stderr lines`,
    });
    return { outages, expected: expectedTitles.length, delivered, lost: expectedTitles.length - delivered, duplicates, workerExited, rawStderrLines, errorLogLines, line };
  } finally {
    worker?.kill('SIGKILL');
    await worker?.exited;
    await chat?.close().catch(() => undefined);
    await side?.close().catch(() => undefined);
    await discord.close();
    await feedsServer.close();
    await redis.close();
  }
}

/** RELIABILITY R2's targets, asserted on a scenario's result (the fast and the soak lane share them). */
export function expectR2Targets(r: R2Result): void {
  expect(r.workerExited).toBe(false);
  expect(r.rawStderrLines).toBe(0);
  expect(r.lost).toBe(0);
  expect(r.duplicates).toBe(0);
  for (const o of r.outages) {
    expect(o.pollResumeMs).toBeLessThanOrEqual(R2_RESUME_TARGET_MS);
    expect(o.deliveryResumeMs).toBeLessThanOrEqual(R2_RESUME_TARGET_MS);
    for (const ms of o.commandMs) expect(ms).toBeLessThanOrEqual(R2_COMMAND_TARGET_MS);
    for (const reply of o.commandReplies) expect(reply).toMatch(/^unavailable: Newshound cannot reach its database right now/);
  }
}
