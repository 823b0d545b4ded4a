import { createRedisChannelPacer, withChannelPacing } from '../src/adapters/slack/pacing.js';
import { parseDestinationKey } from '../src/core/destination.js';
import { deliverAlert } from '../src/delivery/deliver.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { defineWorker } from '../src/queues/worker.js';

/**
 * Posts alerts to Slack channels, about one message per second per channel
 * (https://docs.slack.dev/reference/methods/chat.postMessage#rate_limiting): a job that comes
 * too early for its channel is put back until its reserved slot, and a 429 holds back that
 * channel alone for its Retry-After while other channels keep flowing. A channel whose
 * subscriptions were stopped (channel gone, app uninstalled) gets no further requests.
 */
export default defineWorker({
  queue: QUEUE_NAMES.deliverSlack,
  concurrency: 10,
  async process(job, ctx, run) {
    const sender = ctx.senders.slack;
    if (sender === undefined) return await deliverAlert(job, ctx, run, undefined);
    const subscriptions = await ctx.subscriptions.list(parseDestinationKey(job.destination));
    if (!subscriptions.some((s) => s.active)) return { outcome: 'inactive' as const };
    const pacer = createRedisChannelPacer(ctx.redis, ctx.keys);
    const waitMs = await pacer.reserve(job.destination, run.job.id ?? `${job.destination}:${job.storyId}`);
    if (waitMs > 0) return await run.delayJob(waitMs);
    return await deliverAlert(job, ctx, run, withChannelPacing(sender, pacer));
  },
});
