import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { feedIdFor, type FeedDefinition } from '../../src/core/feed.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { startWorkerRole } from '../../src/modes/worker.js';
import { syncOperatorFeeds } from '../../src/queues/scheduler.js';
import { pollFeed, type PollOutcome } from '../../workers/poll.worker.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { figures, recordingSender, reliabilityPrefix, storyText } from '../support/reliability.js';
import { rss, type TestItem } from '../support/rss.js';
import { subscribe } from '../support/subscriptions.js';
import { waitUntil } from '../support/wait.js';
import { sideRuntime, unfinished } from './scenarios/common.js';

/** RELIABILITY R5: replicas that start together, and pollers that race for one feed. */
const REPLICAS = 3;
const FEEDS = 200;
const SYNCS_PER_REPLICA = 20;

let fake: FakeFeeds;
let replicas: Runtime[];

beforeAll(async () => {
  fake = await startFakeFeeds();
  const prefix = reliabilityPrefix();
  replicas = await Promise.all(Array.from({ length: REPLICAS }, () => sideRuntime(inject('redisUrl'), prefix)));
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await fake.close();
});

describe('R5: replicas starting at once, and pollers racing', () => {
  it('keeps exactly one scheduler and one delayed job per feed when 3 replicas upsert 200 feeds 20 times at once', async () => {
    const defs: FeedDefinition[] = Array.from({ length: FEEDS }, (_, i) => {
      const url = fake.url(`/r5/${i}.xml`);
      return { id: feedIdFor(url), url, name: `Feed ${i}`, intervalSeconds: 300 };
    });
    const t0 = Date.now();
    await Promise.all(replicas.flatMap((r) => Array.from({ length: SYNCS_PER_REPLICA }, () => syncOperatorFeeds(r.ctx.queues, r.ctx.feeds, defs))));
    const syncMs = Date.now() - t0;
    const queue = replicas[0]!.ctx.queues.poll.queue;
    const schedulers = await queue.getJobSchedulers(0, -1);
    const perFeed = (jobs: Array<{ data: unknown }>) => {
      const counts = new Map<string, number>();
      for (const j of jobs) {
        const feedId = (j.data as { feedId: string }).feedId;
        counts.set(feedId, (counts.get(feedId) ?? 0) + 1);
      }
      return counts;
    };
    // A scheduler's next run is usually delayed, but one whose slot came up while the syncs ran
    // is already waiting: tell them from the first polls by id, not by state.
    const jobs = await queue.getJobs(['delayed', 'waiting', 'prioritized', 'active'], 0, -1);
    const delayed = perFeed(jobs.filter((j) => j.id?.startsWith('repeat:')));
    const firstPolls = perFeed(jobs.filter((j) => j.id?.startsWith('first-')));
    const countsOf = (m: Map<string, number>) => [...new Set(m.values())].join('/') || '0';
    figures('R5 schedules', {
      replicas: REPLICAS,
      'syncs each': SYNCS_PER_REPLICA,
      feeds: FEEDS,
      schedulers: schedulers.length,
      'feeds with a scheduled job': `${delayed.size} (jobs per feed: ${countsOf(delayed)})`,
      'first polls per feed': countsOf(firstPolls),
      'all syncs took': `${syncMs} ms`,
    });
    expect(schedulers.map((s) => s.key).sort()).toEqual(defs.map((d) => `feed-${d.id}`).sort());
    expect(delayed.size).toBe(FEEDS);
    expect([...delayed.values()].every((c) => c === 1)).toBe(true);
    expect(firstPolls.size).toBe(FEEDS);
    expect([...firstPolls.values()].every((c) => c === 1)).toBe(true);
  }, 60_000);

  it('gives one alert per item when two pollers race for one feed on every poll', async () => {
    const [a, b] = replicas as [Runtime, Runtime];
    const dest = { platform: 'discord' as const, workspaceId: '100', channelId: '100000000000000501' };
    await subscribe(a.ctx.subscriptions, dest, 'tiktok');
    const senders = [recordingSender('discord'), recordingSender('discord')];
    a.ctx.senders.discord = senders[0];
    b.ctx.senders.discord = senders[1];
    const workers = [a, b].map((r) => startWorkerRole(r, { drainDelay: 1, stalledInterval: 1000, lockDuration: 3000 }));
    try {
      const path = '/r5-race.xml';
      const items: TestItem[] = [];
      const publish = (i: number) => {
        const { title, lead } = storyText(600_000 + i, 'tiktok');
        items.unshift({ title, link: `https://news.example/r5/${i}`, guid: `r5-${i}`, pubDate: new Date(), description: lead });
        // Slow headers, so the two polls of a round overlap.
        fake.setFeed(path, rss('Race', items), { delayHeadersMs: 50 });
      };
      publish(0);
      const url = fake.url(path);
      const feed = { id: feedIdFor(url), url, name: 'Race', intervalSeconds: 1 };
      await a.ctx.feeds.upsert(feed);
      await pollFeed(feed.id, a.ctx);
      const rounds = 20;
      const outcomes: PollOutcome[] = [];
      for (let i = 1; i <= rounds; i++) {
        publish(i);
        outcomes.push(...(await Promise.all([pollFeed(feed.id, a.ctx), pollFeed(feed.id, b.ctx), pollFeed(feed.id, a.ctx), pollFeed(feed.id, b.ctx)])));
      }
      const queues = [a.ctx.queues.match.queue, a.ctx.queues.deliver.discord.queue];
      await waitUntil(() => senders.reduce((n, s) => n + s.posts.length, 0) >= rounds, `${rounds} alerts`, { timeoutMs: 30_000 });
      await waitUntil(async () => (await Promise.all(queues.map(unfinished))).every((n) => n === 0), 'the queues to drain', { timeoutMs: 30_000 });
      const posts = senders.flatMap((s) => s.posts.map((p) => p.alert.story.title));
      const perItem = new Map<string, number>();
      for (const t of posts) perItem.set(t, (perItem.get(t) ?? 0) + 1);
      const locked = outcomes.filter((o) => o.outcome === 'locked').length;
      figures('R5 race', {
        rounds,
        'polls per round': 4,
        'polls that found the feed locked': locked,
        'new items': rounds,
        alerts: posts.length,
        'alerts per item': [...new Set(perItem.values())].join('/'),
        'posted by replica': senders.map((s) => s.posts.length).join('+'),
      });
      expect(locked).toBeGreaterThan(0);
      expect(perItem.size).toBe(rounds);
      expect([...perItem.values()].every((c) => c === 1)).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.stop(500)));
    }
  }, 60_000);
});
