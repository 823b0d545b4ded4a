import type { Redis } from 'ioredis';
import type { AddFeedResult, WorkspaceFeeds } from '../chat/services.js';
import { feedIdFor, type Feed } from '../core/feed.js';
import { OPERATOR_OWNER, scheduleFeed, unscheduleFeed } from '../queues/scheduler.js';
import type { Queues } from '../queues/queues.js';
import type { FeedStore } from './feed-store.js';
import type { Keys } from './keys.js';

/** Feeds added from chat are polled at most this often (RELIABILITY I4: ≥ 10 min). */
export const CHAT_FEED_MIN_INTERVAL_SECONDS = 600;

/**
 * Workspace feeds on Redis: a set of feed ids per workspace, and the workspace as an owner of
 * each feed. One URL is one feed (one fetch per interval) however many workspaces add it.
 */
export function createRedisWorkspaceFeeds(
  redis: Redis,
  keys: Keys,
  feeds: FeedStore,
  queues: Queues,
  opts: { maxPerWorkspace: number; intervalSeconds: number },
): WorkspaceFeeds {
  const interval = Math.max(opts.intervalSeconds, CHAT_FEED_MIN_INTERVAL_SECONDS);
  const list = async (workspace: string): Promise<Feed[]> => {
    const ids = await redis.smembers(keys.workspaceFeeds(workspace));
    const found = await Promise.all(ids.map((id) => feeds.get(id)));
    return found.filter((f): f is Feed => f !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  };
  return {
    list,
    async add(workspace, url): Promise<AddFeedResult> {
      const id = feedIdFor(url.href);
      if (await redis.sismember(keys.workspaceFeeds(workspace), id)) {
        const feed = await feeds.get(id);
        if (feed) return { status: 'exists', feed };
      }
      if ((await redis.scard(keys.workspaceFeeds(workspace))) >= opts.maxPerWorkspace) return { status: 'full', limit: opts.maxPerWorkspace };
      const existing = await feeds.get(id);
      // A feed the operator or another workspace already polls keeps its interval and state.
      const def = existing ?? { id, url: url.href, name: url.hostname, intervalSeconds: interval };
      if (existing === undefined) await feeds.upsert(def);
      await feeds.addOwner(id, workspace);
      await redis.sadd(keys.workspaceFeeds(workspace), id);
      const feed = (await feeds.get(id))!;
      if (feed.disabledAt !== undefined) await feeds.updateState(id, { disabledAt: undefined, disabledReason: undefined, failures: 0, firstFailureAt: undefined, nextPollAfter: undefined });
      await scheduleFeed(queues, def, feed.baselinedAt !== undefined);
      return { status: 'added', feed };
    },
    async remove(workspace, idOrUrl) {
      const mine = await list(workspace);
      const wanted = idOrUrl.trim();
      const feed = mine.find((f) => f.id.startsWith(wanted.toLowerCase()) && wanted.length >= 4) ?? mine.find((f) => f.url === wanted || f.url === safeHref(wanted));
      if (feed === undefined) return undefined;
      await redis.srem(keys.workspaceFeeds(workspace), feed.id);
      if ((await feeds.removeOwner(feed.id, workspace)) === 0) {
        await unscheduleFeed(queues, feed.id);
        await feeds.remove(feed.id);
      }
      return feed;
    },
    async failing(workspace) {
      const all = await feeds.list();
      const owners = await Promise.all(all.map((f) => feeds.owners(f.id)));
      return all.filter((f, i) => (f.failures > 0 || f.disabledAt !== undefined) && (owners[i]!.includes(OPERATOR_OWNER) || owners[i]!.includes(workspace)));
    },
    async firstPoll(feedId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const feed = await feeds.get(feedId);
        if (feed === undefined || feed.lastPolledAt !== undefined || Date.now() > deadline) return feed;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

function safeHref(text: string): string | undefined {
  try {
    return new URL(text).href;
  } catch {
    return undefined;
  }
}
