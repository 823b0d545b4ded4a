import type { Config } from '../config/env.js';
import type { Logger } from '../log.js';
import { createRuntime } from './runtime.js';
import { startScheduler } from './scheduler.js';
import { startWorkerRole } from './worker.js';

export const ROLES = ['all', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

/** Starts the requested role(s) in this process; returns stop() for graceful shutdown. */
export async function start(config: Config, log: Logger, role: Role): Promise<{ stop(): Promise<void> }> {
  const runtime = await createRuntime(config, log);
  const stops: Array<() => Promise<void>> = [];
  try {
    if (role === 'all' || role === 'scheduler') {
      const scheduler = await startScheduler(runtime);
      stops.push(() => scheduler.stop());
    }
    if (role === 'all' || role === 'worker') {
      const workers = startWorkerRole(runtime);
      stops.push(() => workers.stop(10_000));
    }
  } catch (err) {
    await runtime.close();
    throw err;
  }
  log.info({ role }, 'newshound started');
  return {
    async stop() {
      // Workers first (let in-flight jobs finish), then queues and Redis.
      for (const s of stops.reverse()) await s();
      await runtime.close();
    },
  };
}
