import { parseDestinationKey, type Destination } from '../core/destination.js';
import { OPERATOR_OWNER } from '../queues/scheduler.js';
import type { WorkerContext } from '../queues/worker.js';
import type { NewshoundEvent } from '../storage/event-log.js';

/** How often the notifier looks for new events. */
export const NOTIFY_EVERY_MS = 2_000;

/**
 * Tells people, once, what they would otherwise never learn: alerts to their channel stopped
 * (the channel is gone or Newshound lost access: the people who subscribed it get a direct
 * message), or a feed their workspace added was disabled after repeated failures (a notice in
 * each of that workspace's channels with topics). Events come from the event log through a
 * consumer group, so with any number of worker processes each event is handled by one of them.
 */
export function startNotifier(ctx: WorkerContext): { stop(): Promise<void>; runOnce(): Promise<number> } {
  const consumer = `notifier-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  const notifyDestination = async (event: Extract<NewshoundEvent, { type: 'destination-disabled' }>) => {
    const dest = parseDestinationKey(event.destination);
    const sender = ctx.senders[dest.platform];
    if (!sender?.notifyUser) return;
    const subs = await ctx.subscriptions.list(dest);
    const people = [...new Set(subs.map((s) => s.addedBy))];
    const topics = subs.map((s) => s.query).join(', ');
    for (const userId of people) {
      await sender.notifyUser(dest, userId, `Newshound stopped posting alerts (${topics}) to a channel you subscribed: ${event.reason}. Fix the channel's permissions and subscribe again to resume.`);
    }
  };

  const notifyFeed = async (event: Extract<NewshoundEvent, { type: 'feed-disabled' }>) => {
    const owners = (await ctx.feeds.owners(event.feedId)).filter((o) => o !== OPERATOR_OWNER);
    for (const workspace of owners) {
      const channels: Destination[] = await ctx.subscriptions.channelsOf(workspace);
      for (const dest of channels) {
        if (!(await ctx.subscriptions.list(dest)).some((s) => s.active)) continue;
        await ctx.senders[dest.platform]?.notice?.(
          dest,
          `The feed ${event.name} (${event.url}) was turned off after failing for a day: ${event.reason}. Its stories no longer reach this workspace; remove it or add it again once it works.`,
        );
      }
    }
  };

  const handle = async (event: NewshoundEvent) => {
    switch (event.type) {
      case 'destination-disabled':
        return await notifyDestination(event);
      case 'feed-disabled':
        return await notifyFeed(event);
      case 'platform-halted':
        // Nothing can be sent there; the operator learns it from the error log.
        return;
    }
  };

  const runOnce = async (): Promise<number> => {
    const events = await ctx.events.claimNew('notifier', consumer, 50);
    for (const { id, event } of events) {
      try {
        await handle(event);
      } catch (err) {
        // One attempt: a notice that cannot be sent is logged, never retried into spam.
        ctx.log.warn({ err, event: event.type }, 'could not send a notice');
      }
      await ctx.events.ack('notifier', id);
    }
    return events.length;
  };

  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = runOnce().catch((err: unknown) => ctx.log.warn({ err }, 'notifier failed'));
  }, NOTIFY_EVERY_MS);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
