import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedIdFor } from '../../src/core/feed.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { startScheduler } from '../../src/modes/scheduler.js';
import { startWorkerRole } from '../../src/modes/worker.js';
import { syncOperatorFeeds } from '../../src/queues/scheduler.js';
import { loadOperatorFeeds } from '../../src/config/feeds.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { items, rss } from '../support/rss.js';
import { testRuntime } from '../support/runtime.js';
import { waitUntil } from '../support/wait.js';

let fake: FakeFeeds;
let runtime: Runtime;
let feedsFile: string;

beforeAll(async () => {
  fake = await startFakeFeeds();
  const now = new Date();
  fake.setFeed('/good.xml', rss('Good', items('good', 3, now)));
  fake.route('/broken.xml', { status: 500, body: 'internal error' });
  fake.route('/garbage.xml', { body: 'this is not xml at all', headers: { 'content-type': 'text/xml' } });
  fake.setFeed('/stuck.xml', rss('Stuck', []), { delayHeadersMs: 60_000 });
  feedsFile = join(mkdtempSync(join(tmpdir(), 'nh-pipeline-')), 'feeds.json');
  writeFileSync(
    feedsFile,
    JSON.stringify(['/stuck.xml', '/broken.xml', '/garbage.xml', '/good.xml'].map((p) => ({ url: fake.url(p), intervalSeconds: 1 }))),
  );
  runtime = await testRuntime({ FEEDS_FILE: feedsFile });
});

afterAll(async () => {
  await runtime.close();
  await fake.close();
});

describe('the ingestion pipeline on BullMQ', () => {
  it('polls every feed on schedule, and broken or stuck feeds do not hold up a good one', async () => {
    const scheduler = await startScheduler(runtime);
    const workers = startWorkerRole(runtime, { drainDelay: 1, stalledInterval: 1000, lockDuration: 3000 });
    try {
      const goodId = feedIdFor(fake.url('/good.xml'));
      await waitUntil(async () => (await runtime.ctx.feeds.get(goodId))?.baselinedAt, 'the first poll of the good feed');
      expect(await runtime.ctx.queues.match.queue.count()).toBe(0);

      const now = new Date();
      fake.setFeed('/good.xml', rss('Good', [{ title: 'Breaking', link: 'https://news.example/breaking', pubDate: now }, ...items('good', 3, now)]));
      // The match worker takes it at once; a finished match job is the proof of the hand-over.
      const [job] = await waitUntil(async () => {
        const jobs = await runtime.ctx.queues.match.queue.getJobs(['waiting', 'active', 'completed']);
        return jobs.length > 0 ? jobs : undefined;
      }, 'the new story to reach the match queue');
      const story = await runtime.ctx.stories.get((job!.data as { storyId: string }).storyId);
      expect(story).toMatchObject({ title: 'Breaking', feedId: goodId });

      const broken = await runtime.ctx.feeds.get(feedIdFor(fake.url('/broken.xml')));
      const garbage = await runtime.ctx.feeds.get(feedIdFor(fake.url('/garbage.xml')));
      expect(broken?.failures).toBeGreaterThanOrEqual(1);
      expect(garbage?.failures).toBeGreaterThanOrEqual(1);
      expect(fake.requestCount('/stuck.xml')).toBeGreaterThanOrEqual(1);
    } finally {
      await workers.stop(500);
      await scheduler.stop();
    }
  });

  it('keeps exactly one scheduler and one delayed job per feed however often and concurrently it is synced', async () => {
    const feeds = await loadOperatorFeeds(feedsFile, 300);
    await Promise.all(Array.from({ length: 5 }, () => syncOperatorFeeds(runtime.ctx.queues, runtime.ctx.feeds, feeds)));
    const schedulers = await runtime.ctx.queues.poll.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(feeds.map((f) => `feed-${f.id}`).sort());
    const delayed = await runtime.ctx.queues.poll.queue.getJobs(['delayed']);
    const perFeed = new Map<string, number>();
    for (const job of delayed) {
      const feedId = (job.data as { feedId: string }).feedId;
      perFeed.set(feedId, (perFeed.get(feedId) ?? 0) + 1);
    }
    expect([...perFeed.values()].every((count) => count === 1)).toBe(true);
  });
});
