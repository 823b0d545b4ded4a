import { sendDigest } from '../src/delivery/digest.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { defineWorker } from '../src/queues/worker.js';

/** Sends a channel's digest when it is due (hourly, daily at its time, or when quiet hours end). */
export default defineWorker({
  queue: QUEUE_NAMES.digest,
  concurrency: 4,
  async process(job, ctx, run) {
    return await sendDigest(job, ctx, run);
  },
});
