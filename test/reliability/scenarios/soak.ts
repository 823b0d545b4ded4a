/**
 * R7: a soak. The real CLI worker (`newshound start --role worker`, production timers) polls 200
 * feeds every 5 s and delivers a story every few seconds into 50 FakeDiscord channels, for
 * `minutes`. Figures: resident memory growth per hour (a line fitted through samples after a
 * warm-up, so one GC does not decide it), the worst event-loop lag p99 of any 10 s window (the
 * worker's own Prometheus metric), BullMQ `stalled` events, unhandled rejections, and whether every
 * story reached every channel exactly once.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { QueueEvents } from 'bullmq';
import { feedIdFor, type FeedDefinition } from '../../../src/core/feed.js';
import type { Destination } from '../../../src/core/destination.js';
import type { Runtime } from '../../../src/modes/runtime.js';
import { syncOperatorFeeds } from '../../../src/queues/scheduler.js';
import { startFakeDiscord } from '../../fakes/fake-discord.js';
import { startFakeFeeds } from '../../fakes/fake-feeds.js';
import { figures, reliabilityPrefix, secs, startNewshound, storyText, type NewshoundProcess } from '../../support/reliability.js';
import { rss, type TestItem } from '../../support/rss.js';
import { subscribe } from '../../support/subscriptions.js';
import { waitUntil } from '../../support/wait.js';
import { pause, platformEnv, sideRuntime } from './common.js';

/** RELIABILITY R7 targets. */
export const R7_RSS_GROWTH_TARGET_PER_HOUR = 0.1;
export const R7_LAG_P99_TARGET_MS = 100;

const KEYWORD = 'tiktok';
/** The worker's event-loop lag metric is a p99 per 10 s window. */
const SAMPLE_EVERY_MS = 10_000;
const RSS_SAMPLE_EVERY_MS = 1_000;
/** Samples before this share of the run are warm-up (JIT, pools, caches filling). */
const WARM_UP_SHARE = 0.3;

export interface R7Options {
  minutes: number;
  feeds: number;
  channels: number;
  publishEveryMs: number;
}

export interface R7Result {
  published: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Fitted growth of resident memory per hour, as a share of the mean (0.1 = 10 %/h). */
  rssGrowthPerHour: number;
  rssMb: { first: number; last: number; max: number };
  /** The worst 10-second window's event-loop lag p99. */
  lagP99MaxMs: number;
  stalled: number;
  unhandledRejections: number;
  workerExited: boolean;
  line: string;
}

function residentMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function runSoakScenario(redisUrl: string, opts: R7Options): Promise<R7Result> {
  const channelIds = Array.from({ length: opts.channels }, (_, i) => `1000000000000007${String(i).padStart(2, '0')}`);
  const discord = await startFakeDiscord({ guilds: [{ id: '100', channels: channelIds.map((id) => ({ id })) }] });
  const feedsServer = await startFakeFeeds();
  const prefix = reliabilityPrefix();
  const side: Runtime = await sideRuntime(redisUrl, prefix);
  const watched = [side.ctx.queues.poll.queue, side.ctx.queues.match.queue, side.ctx.queues.deliver.discord.queue];
  const events = watched.map((q) => new QueueEvents(q.name, { connection: { url: redisUrl }, prefix }));
  let stalled = 0;
  for (const e of events) e.on('stalled', () => stalled++);
  await Promise.all(events.map((e) => e.waitUntilReady()));
  let worker: NewshoundProcess | undefined;
  try {
    for (const channelId of channelIds) {
      const dest: Destination = { platform: 'discord', workspaceId: '100', channelId };
      await subscribe(side.ctx.subscriptions, dest, KEYWORD);
    }
    const now = Date.now();
    const feedItems: TestItem[][] = [];
    const defs: FeedDefinition[] = [];
    for (let f = 0; f < opts.feeds; f++) {
      feedItems.push(
        Array.from({ length: 5 }, (_, i) => {
          const { title, lead } = storyText(700_000 + f * 10 + i, 'harbour');
          return { title, link: `https://news.example/r7/old/${f}/${i}`, guid: `r7-old-${f}-${i}`, pubDate: new Date(now - 3_600_000), description: lead };
        }),
      );
      feedsServer.setFeed(`/r7-${f}.xml`, rss(`Outlet ${f}`, feedItems[f]!));
      const url = feedsServer.url(`/r7-${f}.xml`);
      defs.push({ id: feedIdFor(url), url, name: `Outlet ${f}`, intervalSeconds: 5 });
    }
    await syncOperatorFeeds(side.ctx.queues, side.ctx.feeds, defs);
    const port = await freePort();
    worker = startNewshound({ cli: 'worker' }, { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, HTTP_PORT: String(port), ...platformEnv(discord) });
    let workerExited = false;
    void worker.exited.then(() => (workerExited = true));
    await waitUntil(async () => (await Promise.all(defs.map((d) => side.ctx.feeds.get(d.id)))).every((f) => f?.baselinedAt !== undefined), 'every feed to be baselined', {
      timeoutMs: 60_000,
      intervalMs: 200,
    });

    const titles: string[] = [];
    const publish = () => {
      const f = titles.length % opts.feeds;
      // Feeds keep their newest 20 items, as real ones do.
      const { title, lead } = storyText(800_000 + titles.length, KEYWORD);
      feedItems[f]!.unshift({ title, link: `https://news.example/r7/new/${titles.length}`, guid: `r7-new-${titles.length}`, pubDate: new Date(), description: lead });
      feedItems[f]!.length = Math.min(feedItems[f]!.length, 20);
      feedsServer.setFeed(`/r7-${f}.xml`, rss(`Outlet ${f}`, feedItems[f]!));
      titles.push(title);
    };
    const lagSamples: number[] = [];
    const rss_: Array<[number, number]> = [];
    const t0 = Date.now();
    // Resident memory every second: sampled only every 10 s, the samples aliased with the GC's
    // sawtooth, and 10-minute fits of a flat process came out anywhere from -12 to +12 %/h.
    const pid = worker.pid;
    const sampleRss = setInterval(() => {
      try {
        if (!workerExited) rss_.push([(Date.now() - t0) / 3_600_000, residentMb(pid)]);
      } catch {
        // The worker is gone; the figures say so.
      }
    }, RSS_SAMPLE_EVERY_MS).unref();
    const end = t0 + opts.minutes * 60_000;
    let nextSample = t0 + SAMPLE_EVERY_MS;
    // Scrape once so the first window starts now.
    await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    while (Date.now() < end && !workerExited) {
      publish();
      if (Date.now() >= nextSample) {
        nextSample += SAMPLE_EVERY_MS;
        const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
        const lag = /^newshound_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(metrics)?.[1];
        if (lag !== undefined) lagSamples.push(Number(lag) * 1000);
      }
      await pause(opts.publishEveryMs);
    }
    clearInterval(sampleRss);
    const expected = titles.length * channelIds.length;
    const visibleTitles = () => channelIds.flatMap((c) => discord.messages(c).map((m) => String((m.embeds[0] as { title?: string } | undefined)?.title)));
    const wanted = new Set(titles);
    await waitUntil(() => visibleTitles().filter((t) => wanted.has(t)).length >= expected, 'every story in every channel', { timeoutMs: 180_000, intervalMs: 500 }).catch(() => undefined);
    let delivered = 0;
    let duplicates = 0;
    for (const c of channelIds) {
      const seen = discord.messages(c).map((m) => String((m.embeds[0] as { title?: string } | undefined)?.title)).filter((t) => wanted.has(t));
      const unique = new Set(seen);
      delivered += unique.size;
      duplicates += seen.length - unique.size;
    }
    const steady = rss_.filter(([h]) => h >= (opts.minutes / 60) * WARM_UP_SHARE);
    const meanMb = steady.reduce((a, [, y]) => a + y, 0) / Math.max(1, steady.length);
    const rssGrowthPerHour = steady.length >= 3 ? slope(steady) / meanMb : Number.NaN;
    const lagP99MaxMs = Math.max(0, ...lagSamples);
    const unhandledRejections = worker.logged('unhandled promise rejection').length;
    const rssMb = { first: rss_[0]?.[1] ?? 0, last: rss_.at(-1)?.[1] ?? 0, max: Math.max(0, ...rss_.map(([, y]) => y)) };
    const line = figures('R7', {
      duration: `${opts.minutes} min, ${opts.feeds} feeds every 5 s, ${opts.channels} channels, a story every ${secs(opts.publishEveryMs)}`,
      delivered: `${delivered}/${expected}`,
      lost: expected - delivered,
      duplicates,
      'resident memory': `${rssMb.first.toFixed(0)} → ${rssMb.last.toFixed(0)} MB (max ${rssMb.max.toFixed(0)}), fitted growth after warm-up ${(rssGrowthPerHour * 100).toFixed(1)} %/h (target < ${R7_RSS_GROWTH_TARGET_PER_HOUR * 100} %/h)`,
      'event-loop lag p99': `worst 10 s window ${lagP99MaxMs.toFixed(1)} ms (target < ${R7_LAG_P99_TARGET_MS} ms)`,
      stalled,
      'unhandled rejections': unhandledRejections,
      'worker exited': workerExited ? 'yes' : 'no',
    });
    return { published: titles.length, expected, delivered, lost: expected - delivered, duplicates, rssGrowthPerHour, rssMb, lagP99MaxMs, stalled, unhandledRejections, workerExited, line };
  } finally {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await Promise.all(events.map((e) => e.close()));
    await side.close();
    await feedsServer.close();
    await discord.close();
  }
}
