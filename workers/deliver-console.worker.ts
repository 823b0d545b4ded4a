import { deliverAlert } from '../src/delivery/deliver.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { defineWorker } from '../src/queues/worker.js';

/** Prints alerts for console-mode channels (trying Newshound without any chat account). */
export default defineWorker({
  queue: QUEUE_NAMES.deliverConsole,
  concurrency: 1,
  async process(job, ctx, run) {
    return await deliverAlert(job, ctx, run, ctx.senders.console);
  },
});
