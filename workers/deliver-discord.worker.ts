import { deliverAlert } from '../src/delivery/deliver.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { defineWorker } from '../src/queues/worker.js';

/**
 * Posts alerts to Discord channels. The limiter keeps every process together under Discord's
 * global limit of 50 requests per second; per-channel buckets are handled by the REST client,
 * which hands rate-limited jobs back to the queue instead of sleeping.
 * See https://discord.com/developers/docs/topics/rate-limits#global-rate-limit
 */
export default defineWorker({
  queue: QUEUE_NAMES.deliverDiscord,
  concurrency: 10,
  limiter: { max: 2, duration: 50 },
  async process(job, ctx, run) {
    return await deliverAlert(job, ctx, run, ctx.senders.discord);
  },
});
