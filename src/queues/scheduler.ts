import { createHash } from 'node:crypto';
import type { FeedDefinition } from '../core/feed.js';
import type { FeedStore } from '../storage/feed-store.js';
import { jobIds } from './job-ids.js';
import { QUEUE_NAMES } from './names.js';
import type { Queues } from './queues.js';

/** Owner key of feeds configured by the operator (catalog or FEEDS_FILE); they feed every workspace. */
export const OPERATOR_OWNER = 'operator';

/**
 * Where in its interval a feed is polled: a stable offset from the feed id, so a thousand feeds
 * with a 5-minute interval are spread over the 5 minutes instead of all firing at :00.
 */
export function spreadOffsetMs(feedId: string, everyMs: number): number {
  const h = createHash('sha256').update(feedId).digest().readUInt32BE(0);
  return h % everyMs;
}

/**
 * Upserts the poll schedule of one feed (idempotent: any number of processes may call it at
 * once and there is still exactly one scheduler and one delayed job per feed). A feed that has
 * never been polled also gets one immediate first poll, which records its baseline.
 */
export async function scheduleFeed(queues: Queues, feed: FeedDefinition, baselined: boolean): Promise<void> {
  const everyMs = feed.intervalSeconds * 1000;
  await queues.poll.queue.upsertJobScheduler(
    jobIds.pollScheduler(feed.id),
    { every: everyMs, offset: spreadOffsetMs(feed.id, everyMs) },
    { name: QUEUE_NAMES.poll, data: { feedId: feed.id } },
  );
  if (!baselined) {
    await queues.poll.add({ feedId: feed.id }, { jobId: jobIds.firstPoll(feed.id) });
  }
}

/** Stops polling a feed. */
export async function unscheduleFeed(queues: Queues, feedId: string): Promise<void> {
  await queues.poll.queue.removeJobScheduler(jobIds.pollScheduler(feedId));
}

/**
 * Makes Redis match the operator's feed list: every listed feed stored and scheduled, and feeds
 * that were listed before but are not any more unscheduled and forgotten.
 */
export async function syncOperatorFeeds(
  queues: Queues,
  feeds: FeedStore,
  wanted: FeedDefinition[],
): Promise<{ scheduled: number; removed: number }> {
  const wantedIds = new Set(wanted.map((f) => f.id));
  const before = await feeds.operatorFeedIds();
  let removed = 0;
  for (const id of before) {
    if (wantedIds.has(id)) continue;
    // A feed a workspace also added from chat stays; it only stops being the operator's.
    if ((await feeds.removeOwner(id, OPERATOR_OWNER)) === 0) {
      await unscheduleFeed(queues, id);
      await feeds.remove(id);
    }
    removed++;
  }
  for (const def of wanted) {
    await feeds.upsert(def);
    await feeds.addOwner(def.id, OPERATOR_OWNER);
    const state = await feeds.get(def.id);
    if (state?.disabledAt !== undefined) continue;
    await scheduleFeed(queues, def, state?.baselinedAt !== undefined);
  }
  await feeds.setOperatorFeedIds([...wantedIds]);
  return { scheduled: wanted.length, removed };
}
