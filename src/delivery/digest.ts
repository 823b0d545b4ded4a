import { parseDestinationKey } from '../core/destination.js';
import type { Story } from '../core/story.js';
import { storyCard } from '../chat/cards.js';
import type { Reply } from '../chat/reply.js';
import type { DigestJob } from '../queues/payloads.js';
import type { JobRun, WorkerContext } from '../queues/worker.js';
import type { HeldStory } from '../storage/channel-store.js';
import { DeliveryError } from './sender.js';

/** A digest shows at most this many stories (Discord shows 10 embeds per message). */
export const DIGEST_MAX_STORIES = 10;

export type DigestOutcome = { outcome: 'empty' | 'no-sender' } | { outcome: 'posted'; stories: number; more: number; messageId: string };

interface Candidate {
  clusterId: string;
  story: Story;
  held: HeldStory[];
  outlets: string[];
}

/**
 * Sends a channel's due digest (hourly, daily, or the catch-up after quiet hours): the stories
 * held for it, grouped by cluster and ranked by how many outlets covered them, newest first
 * among equals; clusters already sent to the channel or muted there are left out, so a digest
 * never repeats a story. Every included cluster is claimed in the delivery ledger first, so a
 * later alert or digest never repeats it either.
 */
export async function sendDigest(job: DigestJob, ctx: WorkerContext, run: JobRun): Promise<DigestOutcome> {
  const dest = parseDestinationKey(job.destination);
  const sender = ctx.senders[dest.platform];
  if (sender?.postReply === undefined) throw new Error(`this process cannot post digests to ${dest.platform}`);
  const held = await ctx.channels.held(job.destination, job.bucket);
  if (held.length === 0) return { outcome: 'empty' };

  const byCluster = new Map<string, HeldStory[]>();
  for (const h of held) byCluster.set(h.clusterId, [...(byCluster.get(h.clusterId) ?? []), h]);
  const candidates: Candidate[] = [];
  for (const [clusterId, entries] of byCluster) {
    if (await ctx.channels.isClusterMuted(job.destination, clusterId)) continue;
    const stories = (await ctx.stories.getMany(entries.map((e) => e.storyId))).filter((s): s is Story => s !== undefined);
    const clusterStories = (await ctx.stories.getMany(await ctx.clusters.stories(clusterId))).filter((s): s is Story => s !== undefined);
    const first = stories[0];
    if (first === undefined) continue;
    const outlets = [...new Set([...stories, ...clusterStories].map((s) => s.source))];
    candidates.push({ clusterId, story: first, held: entries, outlets });
  }
  candidates.sort((a, b) => b.outlets.length - a.outlets.length || Date.parse(b.story.firstSeenAt) - Date.parse(a.story.firstSeenAt));

  // Claim before sending: a cluster someone already posted here (an instant alert, an earlier digest) is skipped.
  const chosen: Candidate[] = [];
  let examined = 0;
  for (const c of candidates) {
    if (chosen.length >= DIGEST_MAX_STORIES) break;
    examined++;
    const topics = c.held.flatMap((h) => h.topics);
    const claim = await ctx.ledger.claim(job.destination, c.clusterId, c.story.id, JSON.stringify(topics), ctx.now());
    if (claim.kind === 'post') chosen.push(c);
  }
  // Stories beyond the first ten are counted, not shown: a digest is a summary.
  const more = candidates.length - examined;
  if (chosen.length === 0) {
    await ctx.channels.release(job.destination, job.bucket, held.map((h) => h.storyId));
    return { outcome: 'empty' };
  }
  const title =
    job.bucket === 'quiet'
      ? `While it was quiet: ${chosen.length} ${chosen.length === 1 ? 'story' : 'stories'}`
      : `${job.bucket === 'hourly' ? 'Hourly' : 'Daily'} digest: ${chosen.length} ${chosen.length === 1 ? 'story' : 'stories'}`;
  const reply: Reply = {
    visibility: 'channel',
    title,
    blocks: [
      {
        kind: 'stories',
        stories: chosen.map((c) =>
          storyCard(c.story, { terms: [...new Set(c.held.flatMap((h) => h.topics.flatMap((t) => t.terms)))], alsoReportedBy: c.outlets.filter((o) => o !== c.story.source) }),
        ),
      },
      ...(more > 0 ? [{ kind: 'text' as const, text: `${more} more matching ${more === 1 ? 'story' : 'stories'} not shown.` }] : []),
    ],
  };
  let messageId: string;
  try {
    ({ messageId } = await sender.postReply(dest, reply));
  } catch (err) {
    for (const c of chosen) await ctx.ledger.release(job.destination, c.clusterId, c.story.id);
    if (err instanceof DeliveryError && err.kind === 'rate-limited') return await run.delayJob(err.opts.retryAfterMs ?? 1000);
    throw err;
  }
  for (const c of chosen) await ctx.ledger.posted(job.destination, c.clusterId, messageId, c.story.source, { digest: true });
  await ctx.channels.release(job.destination, job.bucket, held.map((h) => h.storyId));
  await ctx.alertStats.record(dest, [...new Set(chosen.flatMap((c) => c.held.flatMap((h) => h.topics.map((t) => t.topicId))))], ctx.now());
  return { outcome: 'posted', stories: chosen.length, more, messageId };
}
