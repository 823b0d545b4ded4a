import { describe, expect, it } from 'vitest';
import { feedIdFor, type FeedDefinition } from '../../src/core/feed.js';
import { scheduleFeed } from '../../src/queues/scheduler.js';
import { pollFeed } from '../../workers/poll.worker.js';
import { items, rss } from '../support/rss.js';
import { useFeedsAndRuntime } from '../support/feeds-runtime.js';

const env = useFeedsAndRuntime();

let n = 0;

/** Registers a feed served by the fake at a fresh path. */
async function addFeed(xml: string): Promise<{ feed: FeedDefinition; path: string }> {
  const path = `/feed-${++n}.xml`;
  env.fake.setFeed(path, xml);
  const url = env.fake.url(path);
  const feed = { id: feedIdFor(url), url, name: `Feed ${n}`, intervalSeconds: 60 };
  await env.runtime.ctx.feeds.upsert(feed);
  return { feed, path };
}

async function matchJobs(): Promise<Array<{ storyId: string; feedId: string }>> {
  const jobs = await env.runtime.ctx.queues.match.queue.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.map((j) => j.data as { storyId: string; feedId: string });
}

async function titlesOf(jobs: Array<{ storyId: string }>): Promise<string[]> {
  const stories = await env.runtime.ctx.stories.getMany(jobs.map((j) => j.storyId));
  return stories.map((s) => s?.title ?? '?').sort();
}

describe('poll worker', () => {
  const now = new Date();

  it('records everything on the first poll and emits nothing', async () => {
    const { feed } = await addFeed(rss('A', items('a', 5, now)));
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toEqual({ outcome: 'ok', items: 5, new: 5, emitted: 0, baseline: true });
    expect(await matchJobs()).toEqual([]);
    expect(await env.runtime.ctx.stories.recentIds(0, 100)).toHaveLength(5);
    expect((await env.runtime.ctx.feeds.get(feed.id))?.baselinedAt).toBeGreaterThan(0);
  });

  it('answers an unchanged feed with a conditional request and does not parse the 304', async () => {
    const { feed, path } = await addFeed(rss('A', items('b', 3, now)));
    await pollFeed(feed.id, env.runtime.ctx);
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toEqual({ outcome: 'not-modified' });
    const second = env.fake.requests.filter((r) => r.path === path)[1]!;
    expect(second.headers['if-none-match']).toBeDefined();
    expect(second.headers['if-modified-since']).toBeDefined();
  });

  it('fetches a feed whose state lost its baseline but kept an ETag in full, baselines it, then alerts what is new', async () => {
    // What Redis restarted without its data can leave behind (R3): a poll in flight writes its
    // ETag back into the empty database, with no baseline and no seen set.
    const { feed, path } = await addFeed(rss('A', items('lost', 3, now)));
    await pollFeed(feed.id, env.runtime.ctx);
    const { etag, lastModified } = (await env.runtime.ctx.feeds.get(feed.id))!;
    await env.runtime.ctx.redis.del(env.runtime.ctx.keys.feed(feed.id), env.runtime.ctx.keys.feedSeen(feed.id));
    await env.runtime.ctx.feeds.upsert(feed);
    await env.runtime.ctx.feeds.updateState(feed.id, { etag, lastModified });

    expect(await pollFeed(feed.id, env.runtime.ctx)).toEqual({ outcome: 'ok', items: 3, new: 3, emitted: 0, baseline: true });
    expect(env.fake.requests.filter((r) => r.path === path)[1]!.headers['if-none-match']).toBeUndefined();
    env.fake.setFeed(path, rss('A', [...items('lost-new', 1, now), ...items('lost', 3, now)]));
    expect(await pollFeed(feed.id, env.runtime.ctx)).toMatchObject({ outcome: 'ok', new: 1, emitted: 1, baseline: false });
  });

  it('emits a new item even when it is back-dated', async () => {
    const existing = items('c', 3, now);
    const { feed, path } = await addFeed(rss('C', existing));
    await pollFeed(feed.id, env.runtime.ctx);
    const backDated = { title: 'Back-dated scoop', link: 'https://news.example/c/late', pubDate: new Date(now.getTime() - 30 * 3_600_000) };
    env.fake.setFeed(path, rss('C', [...existing, backDated]));
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'ok', new: 1, emitted: 1 });
    expect(await titlesOf(await matchJobs())).toEqual(['Back-dated scoop']);
  });

  it('does not emit an old item that was re-dated, nor one whose URL only gained utm_ parameters', async () => {
    const existing = items('d', 3, now);
    const { feed, path } = await addFeed(rss('D', existing));
    await pollFeed(feed.id, env.runtime.ctx);
    const changed = [
      { ...existing[0]!, pubDate: new Date() },
      { ...existing[1]!, link: `${existing[1]!.link}?utm_source=rss&utm_medium=feed`, guid: undefined },
      existing[2]!,
    ];
    env.fake.setFeed(path, rss('D', changed));
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'ok', new: 0, emitted: 0 });
    expect(await matchJobs()).toEqual([]);
  });

  it('never emits a new item published more than MAX_STORY_AGE_HOURS ago', async () => {
    const { feed, path } = await addFeed(rss('E', items('e', 2, now)));
    await pollFeed(feed.id, env.runtime.ctx);
    const ancient = { title: 'Archive piece', link: 'https://news.example/e/old', pubDate: new Date(now.getTime() - 72 * 3_600_000) };
    const fresh = { title: 'Fresh piece', link: 'https://news.example/e/new', pubDate: new Date(now.getTime() - 60_000) };
    env.fake.setFeed(path, rss('E', [fresh, ancient, ...items('e', 2, now)]));
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'ok', new: 2, emitted: 1 });
    expect(await titlesOf(await matchJobs())).toEqual(['Fresh piece']);
  });

  it('stores the same article from two feeds once and hands it over from each feed', async () => {
    const shared = { title: 'Shared wire story', link: 'https://wire.example/1', pubDate: now };
    // Each feed's first (baseline) answer lists something: an empty answer is no baseline.
    const one = await addFeed(rss('One', items('one', 1, now)));
    const two = await addFeed(rss('Two', items('two', 1, now)));
    await pollFeed(one.feed.id, env.runtime.ctx);
    await pollFeed(two.feed.id, env.runtime.ctx);
    env.fake.setFeed(one.path, rss('One', [shared, ...items('one', 1, now)]));
    env.fake.setFeed(two.path, rss('Two', [{ ...shared, link: 'https://wire.example/1?utm_campaign=x' }, ...items('two', 1, now)]));
    await pollFeed(one.feed.id, env.runtime.ctx);
    await pollFeed(two.feed.id, env.runtime.ctx);
    const jobs = await matchJobs();
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.storyId)).size).toBe(1);
  });

  it('advances the seen set only after the stories are stored, so a crash loses nothing', async () => {
    const { feed, path } = await addFeed(rss('F', items('f', 2, now)));
    await pollFeed(feed.id, env.runtime.ctx);
    env.fake.setFeed(path, rss('F', [{ title: 'Survives a crash', link: 'https://news.example/f/new', pubDate: now }, ...items('f', 2, now)]));
    const realAdd = env.runtime.ctx.stories.add;
    env.runtime.ctx.stories.add = () => Promise.reject(new Error('redis went away'));
    await expect(pollFeed(feed.id, env.runtime.ctx)).rejects.toThrow('redis went away');
    env.runtime.ctx.stories.add = realAdd;
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'ok', new: 1, emitted: 1 });
  });

  it('lets only one poll of a feed run at a time', async () => {
    const { feed, path } = await addFeed(rss('G', items('g', 1, now)));
    env.fake.setFeed(path, rss('G', items('g', 1, now)), { delayHeadersMs: 300 });
    const [a, b] = await Promise.all([pollFeed(feed.id, env.runtime.ctx), pollFeed(feed.id, env.runtime.ctx)]);
    expect([a.outcome, b.outcome].sort()).toEqual(['locked', 'ok']);
    expect(env.fake.requestCount(path)).toBe(1);
  });

  it('backs off after a failure and honours Retry-After', async () => {
    const { feed, path } = await addFeed(rss('H', []));
    env.fake.route(path, { status: 503, headers: { 'retry-after': '120' } });
    const t0 = Date.now();
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'failed', failures: 1, disabled: false });
    const state = await env.runtime.ctx.feeds.get(feed.id);
    expect(state!.nextPollAfter! - t0).toBeGreaterThanOrEqual(120_000);
    expect(state!.lastError).toMatch(/rate-limited/);
    expect(await pollFeed(feed.id, env.runtime.ctx)).toEqual({ outcome: 'waiting' });
    expect(env.fake.requestCount(path)).toBe(1);
  });

  it('disables a feed after 10 failures over at least 24 hours and records one event', async () => {
    const { feed, path } = await addFeed(rss('I', []));
    await scheduleFeed(env.runtime.ctx.queues, feed, true);
    env.fake.route(path, { status: 500, body: 'oops' });
    let clock = Date.now();
    env.runtime.ctx.now = () => clock;
    const outcomes = [];
    for (let i = 0; i < 12; i++) {
      outcomes.push(await pollFeed(feed.id, env.runtime.ctx));
      clock += 3 * 3_600_000; // past any backoff
    }
    const failed = outcomes.filter((o) => o.outcome === 'failed');
    expect(failed).toHaveLength(10);
    expect(failed.at(-1)).toMatchObject({ failures: 10, disabled: true });
    expect(outcomes.at(-1)).toEqual({ outcome: 'disabled' });
    const events = await env.runtime.ctx.events.readAfter('0', 10);
    expect(events.map((e) => e.event)).toEqual([expect.objectContaining({ type: 'feed-disabled', feedId: feed.id })]);
    expect(await env.runtime.ctx.queues.poll.queue.getJobScheduler(`feed-${feed.id}`)).toBeUndefined();
  });

  it('records a gzip bomb as a failure of that feed and carries on', async () => {
    const bomb = await addFeed(rss('J', []));
    env.fake.gzipBomb(bomb.path, 1024 * 1024 * 1024);
    const outcome = await pollFeed(bomb.feed.id, env.runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/too-large/) });
  });

  it('records a body that is not a feed as a parse failure', async () => {
    const { feed, path } = await addFeed(rss('K', []));
    env.fake.route(path, { body: '<html><body>Not a feed</body></html>', headers: { 'content-type': 'text/html' } });
    const outcome = await pollFeed(feed.id, env.runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'failed', failures: 1 });
  });
});
