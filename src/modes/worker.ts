import { startNotifier } from '../delivery/notifier.js';
import { startWorkers, type WorkerTimings } from '../queues/worker.js';
import { WORKERS } from '../../workers/index.js';
import type { Runtime } from './runtime.js';

/** The worker role: every queue processor, plus the notifier that tells people about stopped alerts and feeds. */
export function startWorkerRole(
  runtime: Runtime,
  timings: WorkerTimings = {},
): { activity: ReadonlyMap<string, number>; stop(graceMs?: number): Promise<void> } {
  const { ctx } = runtime;
  // BullMQ duplicates this connection for its blocking reads; options (maxRetriesPerRequest: null) carry over.
  const handle = startWorkers(WORKERS, ctx, ctx.redis, timings);
  const notifier = startNotifier(ctx);
  ctx.log.info({ queues: WORKERS.map((w) => w.queue) }, 'workers started');
  return {
    activity: handle.activity,
    async stop(graceMs) {
      await notifier.stop();
      await handle.stop(graceMs);
    },
  };
}
