import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feedIdFor } from '../../src/core/feed.js';
import { buildAlert } from '../../src/delivery/alert.js';
import type { DeliverJob } from '../../src/queues/payloads.js';
import { OPERATOR_OWNER } from '../../src/queues/scheduler.js';
import { matchStory } from '../../workers/match.worker.js';
import { pollFeed } from '../../workers/poll.worker.js';
import { rss } from '../support/rss.js';
import { channel, subscribe } from '../support/subscriptions.js';
import { useFeedsAndRuntime } from '../support/feeds-runtime.js';

const env = useFeedsAndRuntime();

const PAGE = readFileSync(new URL('../fixtures/summaries/article-page-en.html', import.meta.url), 'utf8');
const HTML = { 'content-type': 'text/html; charset=utf-8' };

async function matchJobs(): Promise<Array<{ storyId: string; feedId: string }>> {
  const jobs = await env.runtime.ctx.queues.match.queue.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.map((j) => j.data as { storyId: string; feedId: string });
}

describe('the match worker writes the summary that alerts carry', () => {
  it('summarizes from the article only after the baseline, only stories a channel receives, before queueing the delivery', async () => {
    const now = Date.now();
    const item = (slug: string, title: string, minutesAgo: number) => ({
      title,
      link: env.fake.url(`/story/${slug}`),
      pubDate: new Date(now - minutesAgo * 60_000),
      description: 'Councillors back a 40-megawatt project after a two-year fight.',
    });
    for (const slug of ['old', 'solar', 'other']) env.fake.route(`/story/${slug}`, { body: PAGE, headers: HTML });
    const url = env.fake.url('/summary-feed.xml');
    const feed = { id: feedIdFor(url), url, name: 'Coastal Ledger', intervalSeconds: 60 };
    await env.runtime.ctx.feeds.upsert(feed);
    await env.runtime.ctx.feeds.addOwner(feed.id, OPERATOR_OWNER);
    await subscribe(env.runtime.ctx.subscriptions, channel('A'), 'solar');

    // First poll: the baseline. Nothing is matched, nothing fetched.
    env.fake.setFeed('/summary-feed.xml', rss('Ledger', [item('old', 'Old solar story', 90)]));
    expect(await pollFeed(feed.id, env.runtime.ctx)).toMatchObject({ baseline: true, emitted: 0 });
    expect(await matchJobs()).toEqual([]);

    // Second poll: two new stories, one of which a channel subscribed to.
    env.fake.setFeed('/summary-feed.xml', rss('Ledger', [item('solar', 'Harbour city approves floating solar farm', 5), item('other', 'Ferry timetable changes', 4), item('old', 'Old solar story', 90)]));
    expect(await pollFeed(feed.id, env.runtime.ctx)).toMatchObject({ baseline: false, emitted: 2 });
    for (const job of await matchJobs()) await matchStory(job.storyId, job.feedId, env.runtime.ctx);

    expect(env.fake.requestCount('/story/old')).toBe(0);
    expect(env.fake.requestCount('/story/other')).toBe(0);
    expect(env.fake.requestCount('/story/solar')).toBe(1);

    const deliveries = await env.runtime.ctx.queues.deliver.discord.queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(deliveries).toHaveLength(1);
    const job = deliveries[0]!.data as DeliverJob;
    const story = (await env.runtime.ctx.stories.get(job.storyId))!;
    expect(story.summarySource).toBe('article');
    expect(story.summary).toMatch(/^Councillors in Port Aldwin have approved a 40-megawatt floating solar farm/);
    // What every platform renders: the alert's card carries the stored summary, not the teaser.
    const alert = buildAlert(story, job.topics.map(({ query, terms }) => ({ query, terms })));
    expect(alert.story.summary).toBe(story.summary);
    expect(alert.story.matchedTerms).toEqual(['solar']);
  });
});
