import { clusterSignature } from '../src/core/cluster.js';
import { destinationKey, parseDestinationKey, workspaceKey } from '../src/core/destination.js';
import { htmlToText } from '../src/core/html-text.js';
import { digestKey } from '../src/core/schedule.js';
import { prepareDocument } from '../src/core/text/normalize.js';
import { jobIds } from '../src/queues/job-ids.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import type { DeliverJob } from '../src/queues/payloads.js';
import { OPERATOR_OWNER } from '../src/queues/scheduler.js';
import { defineWorker, type WorkerContext } from '../src/queues/worker.js';

/** What one match job did; the job's return value. */
export type MatchOutcome =
  | { outcome: 'story-gone' }
  | { outcome: 'ok'; clusterId: string; topics: number; deliveries: number };

/**
 * Matches one new story against every active topic at once, puts it in its cross-outlet
 * cluster, and enqueues one delivery per subscribed channel naming every topic of that channel
 * that matched. Stories from a workspace's own feed only reach that workspace's channels; a
 * source muted for a topic does not count for it; topics in a digest mode hold the story for
 * their channel's next digest instead.
 * A story that some channel will receive is summarized first (see `StorySummarizer`).
 */
export async function matchStory(storyId: string, feedId: string, ctx: WorkerContext, signal?: AbortSignal): Promise<MatchOutcome> {
  const story = await ctx.stories.get(storyId);
  if (story === undefined) return { outcome: 'story-gone' };
  const leadText = story.snippet ?? (story.content !== undefined ? htmlToText(story.content) : '');
  const { clusterId } = await ctx.clusters.assign(story.id, clusterSignature(story.title, leadText), Date.parse(story.firstSeenAt));

  await ctx.topics.refresh();
  const doc = prepareDocument({ title: story.title, html: story.content ?? story.snippet, categories: story.categories });
  const matches = ctx.topics.match(doc);
  if (matches.length === 0) return { outcome: 'ok', clusterId, topics: 0, deliveries: 0 };

  const termsByTopic = new Map(matches.map((m) => [m.topicId, m.terms]));
  const owners = await ctx.feeds.owners(feedId);
  const everyone = owners.length === 0 || owners.includes(OPERATOR_OWNER);
  const subs = (await ctx.subscriptions.activeForTopics([...termsByTopic.keys()])).filter((s) => everyone || owners.includes(workspaceKey(s.destination)));
  const muted = await ctx.subscriptions.mutedSources(subs.map((s) => s.key));
  const byDestination = new Map<string, DeliverJob>();
  const held = new Map<string, Map<string, DeliverJob['topics']>>();
  for (const sub of subs) {
    if (muted.get(sub.key)?.has(story.source)) continue;
    const destination = destinationKey(sub.destination);
    const topic = { topicId: sub.topicId, query: sub.query, terms: termsByTopic.get(sub.topicId) ?? [] };
    if (sub.mode.kind === 'instant') {
      const job = byDestination.get(destination) ?? { destination, storyId, clusterId, topics: [] };
      job.topics.push(topic);
      byDestination.set(destination, job);
    } else {
      const buckets = held.get(destination) ?? new Map<string, DeliverJob['topics']>();
      const bucket = digestKey(sub.mode);
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), topic]);
      held.set(destination, buckets);
    }
  }
  // A channel that gets the story as an alert does not also get it in a digest.
  for (const destination of byDestination.keys()) held.delete(destination);
  if (byDestination.size > 0 || held.size > 0) {
    // Summarize before queueing: every delivery reads the story with its summary. Only stories
    // some channel receives get here, so article pages are fetched for nothing else.
    const topics = [...byDestination.values()].flatMap((job) => job.topics).concat([...held.values()].flatMap((b) => [...b.values()].flat()));
    await ctx.summaries.summarizeStory(story, [...new Set(topics.flatMap((t) => t.terms))], signal);
  }
  for (const [destination, buckets] of held) {
    for (const [bucket, topics] of buckets) await ctx.channels.hold(destination, bucket, { storyId, clusterId, topics, at: ctx.now() });
  }
  for (const payload of byDestination.values()) {
    const platform = parseDestinationKey(payload.destination).platform;
    if (!(platform in ctx.queues.deliver)) throw new Error(`no deliver queue for ${platform}`);
    await ctx.queues.deliver[platform as keyof typeof ctx.queues.deliver].add(payload, { jobId: jobIds.deliver(payload.destination, storyId) });
    ctx.metrics.deliveriesQueued.inc({ platform });
  }
  return { outcome: 'ok', clusterId, topics: matches.length, deliveries: byDestination.size };
}

export default defineWorker({
  queue: QUEUE_NAMES.match,
  concurrency: 4,
  async process({ storyId, feedId }, ctx, { signal }) {
    const result = await matchStory(storyId, feedId, ctx, signal);
    if (result.outcome === 'ok' && result.topics > 0) ctx.metrics.matches.inc();
    return result;
  },
});
