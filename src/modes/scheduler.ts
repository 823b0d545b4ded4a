import { loadOperatorFeeds } from '../config/feeds.js';
import { syncOperatorFeeds } from '../queues/scheduler.js';
import type { Runtime } from './runtime.js';

/** How often old stories leave the time index (their records expire by TTL). */
const TRIM_EVERY_MS = 60 * 60_000;
/** How often the scheduler makes sure Redis still holds the feed schedules. */
const RESYNC_CHECK_MS = 5_000;

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

  // A Redis that comes back without its data (restarted without persistence, flushed) has lost
  // every schedule, and nothing would poll again until a restart of this process. So look for the
  // operator's feed set whenever the connection is back and every few seconds (a flush needs no
  // reconnect), and sync again when it is gone: upserting is idempotent, and a feed whose state
  // was lost is baselined again by its first poll (recorded, never alerted). A failed attempt
  // (Redis still loading, say) is simply tried again at the next check.
  let resyncing: Promise<void> | undefined;
  const check = () => {
    if (feeds.length === 0) return;
    resyncing ??= (async () => {
      if ((await ctx.redis.exists(ctx.keys.operatorFeedIds)) === 1) return;
      const again = await syncOperatorFeeds(ctx.queues, ctx.feeds, feeds);
      ctx.log.warn({ feeds: again.scheduled }, 'the feed schedules were gone from Redis (restarted without its data?): scheduled again');
    })()
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not check the feed schedules in Redis; will try again'))
      .finally(() => {
        resyncing = undefined;
      });
  };
  ctx.redis.on('ready', check);
  const checker = setInterval(check, RESYNC_CHECK_MS);
  checker.unref();
  return {
    async stop() {
      clearInterval(timer);
      clearInterval(checker);
      ctx.redis.off('ready', check);
      await resyncing;
    },
  };
}
