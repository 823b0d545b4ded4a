import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedIdFor } from '../../src/core/feed.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import type { Runtime } from '../../src/modes/runtime.js';
import type { DeliverJob } from '../../src/queues/payloads.js';
import { OPERATOR_OWNER } from '../../src/queues/scheduler.js';
import { matchStory } from '../../workers/match.worker.js';
import { channel, subscribe } from '../support/subscriptions.js';
import { testRuntime } from '../support/runtime.js';

let runtime: Runtime;
beforeEach(async () => {
  runtime = await testRuntime();
});
afterEach(async () => {
  await runtime.close();
});

let storyCount = 0;
async function addStory(feed: { id: string; name: string }, title: string, snippet: string, link?: string): Promise<Story> {
  const story = storyFromItem(
    { title, contentSnippet: snippet, content: `<p>${snippet}</p>`, link: link ?? `https://news.example/${++storyCount}`, isoDate: new Date().toISOString() },
    `url:news.example/${link ?? storyCount}`,
    feed,
    new Date(),
  );
  await runtime.ctx.stories.add(story);
  return story;
}

async function deliveries(): Promise<DeliverJob[]> {
  const jobs = await runtime.ctx.queues.deliver.discord.queue.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.map((j) => j.data as DeliverJob).sort((a, b) => a.destination.localeCompare(b.destination));
}

const operatorFeed = { id: feedIdFor('https://wire.example/rss'), name: 'Wire' };

describe('match worker', () => {
  beforeEach(async () => {
    await runtime.ctx.feeds.addOwner(operatorFeed.id, OPERATOR_OWNER);
  });

  it('sends one delivery per channel naming every topic of that channel that matched', async () => {
    const subs = runtime.ctx.subscriptions;
    await subscribe(subs, channel('A'), 'tiktok');
    await subscribe(subs, channel('A'), 'bytedance');
    await subscribe(subs, channel('B'), 'tiktok OR douyin');
    await subscribe(subs, channel('C'), 'volcano');
    const story = await addStory(operatorFeed, 'Microsoft bestätigt Interesse an TikTok', 'Der Mutterkonzern Bytedance verhandelt.');
    const outcome = await matchStory(story.id, operatorFeed.id, runtime.ctx);
    expect(outcome).toMatchObject({ outcome: 'ok', topics: 3, deliveries: 2 });
    const jobs = await deliveries();
    expect(jobs.map((j) => j.destination)).toEqual(['discord:G1:A', 'discord:G1:B']);
    expect(jobs[0]!.topics.map((t) => t.query).sort()).toEqual(['bytedance', 'tiktok']);
    expect(jobs[0]!.topics.find((t) => t.query === 'tiktok')!.terms).toEqual(['tiktok']);
    expect(jobs[1]!.topics).toEqual([expect.objectContaining({ query: 'douyin OR tiktok', terms: ['tiktok'] })]);
  });

  it('is idempotent: matching the same story again adds no second delivery', async () => {
    await subscribe(runtime.ctx.subscriptions, channel('A'), 'tiktok');
    const story = await addStory(operatorFeed, 'TikTok ban upheld', 'The court ruled.');
    await matchStory(story.id, operatorFeed.id, runtime.ctx);
    await matchStory(story.id, operatorFeed.id, runtime.ctx);
    expect(await deliveries()).toHaveLength(1);
  });

  it('sends stories from a workspace’s own feed only to that workspace', async () => {
    const privateFeed = { id: feedIdFor('https://intranet.example/rss'), name: 'Intranet' };
    await runtime.ctx.feeds.addOwner(privateFeed.id, 'discord:G1');
    await subscribe(runtime.ctx.subscriptions, channel('A', 'G1'), 'merger');
    await subscribe(runtime.ctx.subscriptions, channel('Z', 'G2'), 'merger');
    const story = await addStory(privateFeed, 'Merger talks confirmed', 'Internal memo.');
    await matchStory(story.id, privateFeed.id, runtime.ctx);
    expect((await deliveries()).map((j) => j.destination)).toEqual(['discord:G1:A']);
  });

  it('puts a second outlet’s rewrite of an agency story in the first one’s cluster', async () => {
    await subscribe(runtime.ctx.subscriptions, channel('A'), 'tiktok');
    const lead =
      'Microsoft hat Gespräche über eine Übernahme des US-Geschäfts der Video-App TikTok bestätigt. Der Konzern wolle die Verhandlungen bis spätestens 15. September abschließen, teilte Microsoft am Sonntag mit.';
    const first = await addStory(operatorFeed, 'Microsoft bestätigt Interesse an TikTok', lead);
    const other = { id: feedIdFor('https://other.example/rss'), name: 'Other' };
    await runtime.ctx.feeds.addOwner(other.id, OPERATOR_OWNER);
    const second = await addStory(other, 'TikTok: Microsoft will US-Geschäft kaufen', lead);
    const unrelated = await addStory(other, 'TikTok führt neue Altersgrenze ein', 'Die Plattform verschärft ihre Regeln für Jugendliche in Europa ab kommendem Monat deutlich.');
    const a = await matchStory(first.id, operatorFeed.id, runtime.ctx);
    const b = await matchStory(second.id, other.id, runtime.ctx);
    const c = await matchStory(unrelated.id, other.id, runtime.ctx);
    if (a.outcome !== 'ok' || b.outcome !== 'ok' || c.outcome !== 'ok') throw new Error('unreachable');
    expect(b.clusterId).toBe(a.clusterId);
    expect(c.clusterId).not.toBe(a.clusterId);
    expect((await runtime.ctx.clusters.stories(a.clusterId)).sort()).toEqual([first.id, second.id].sort());
  });

  it('does nothing for a story nobody subscribed to, and tolerates a story that expired', async () => {
    const story = await addStory(operatorFeed, 'Quiet news day', 'Nothing happened.');
    expect(await matchStory(story.id, operatorFeed.id, runtime.ctx)).toMatchObject({ outcome: 'ok', deliveries: 0 });
    expect(await matchStory('missing', operatorFeed.id, runtime.ctx)).toEqual({ outcome: 'story-gone' });
  });
});
