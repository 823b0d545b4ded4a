import { loadOperatorFeeds } from '../config/feeds.js';
import { syncOperatorFeeds } from '../queues/scheduler.js';
import type { Runtime } from './runtime.js';

/** How often old stories leave the time index (their records expire by TTL). */
const TRIM_EVERY_MS = 60 * 60_000;

/**
 * The scheduler role: makes the poll schedules in Redis match the operator's feed list
 * (catalog or FEEDS_FILE) and keeps the story index trimmed. Schedules live in Redis (BullMQ
 * job schedulers), so polling goes on whichever process runs the workers.
 */
export async function startScheduler(runtime: Runtime): Promise<{ stop(): Promise<void> }> {
  const { ctx } = runtime;
  const feeds = await loadOperatorFeeds(ctx.config.FEEDS_FILE, ctx.config.POLL_INTERVAL_SECONDS);
  const result = await syncOperatorFeeds(ctx.queues, ctx.feeds, feeds);
  ctx.log.info({ feeds: result.scheduled, removed: result.removed, source: ctx.config.FEEDS_FILE ?? 'catalog' }, 'feeds scheduled');
  const trim = async () => {
    try {
      const removed = await ctx.stories.trim(ctx.now());
      const words = await ctx.search.prune();
      if (removed > 0 || words > 0) ctx.log.info({ removed, words }, 'old stories dropped from the indexes');
    } catch (err) {
      ctx.log.warn({ err }, 'story trim failed');
    }
  };
  await trim();
  const timer = setInterval(() => void trim(), TRIM_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
