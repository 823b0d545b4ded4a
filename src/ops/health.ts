import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Waiting jobs and no job started for this long: the queue's worker in this process is stuck. */
export const HEALTH_MAX_IDLE_MS = 60_000;

export interface QueueHealth {
  queue: string;
  waiting: number;
  /** Age of the oldest job waiting to be picked up, in seconds (information; retries make it old). */
  oldestWaitingSeconds: number;
  paused: boolean;
  /** Seconds since this process's worker last started a job of this queue; absent without a worker here. */
  idleSeconds?: number;
}

export interface Health {
  ok: boolean;
  redis: boolean;
  queues: QueueHealth[];
  problems: string[];
}

/**
 * Liveness that means something: Redis answers AND this process's workers take jobs. A worker
 * wedged after a Redis outage (BullMQ #4585) leaves jobs waiting while it starts none; that is
 * caught within a minute, where a PING would not catch it. Jobs held back on purpose (delayed,
 * paused queue) do not count. `activity` is when this process's worker of each queue last
 * started a job (or started at all); queues without a worker here are only reported.
 */
export async function checkHealth(redis: Redis, queues: Queue[], activity: ReadonlyMap<string, number>, now: number = Date.now()): Promise<Health> {
  const problems: string[] = [];
  const redisOk = await redis.ping().then((pong) => pong === 'PONG', () => false);
  if (!redisOk) return { ok: false, redis: false, queues: [], problems: ['Redis does not answer'] };
  const results: QueueHealth[] = [];
  for (const queue of queues) {
    const [waiting, oldest, paused] = await Promise.all([queue.getWaitingCount(), queue.getJobs('wait', 0, 0, true), queue.isPaused()]);
    const first = oldest[0];
    const age = first ? Math.max(0, (now - first.timestamp - (first.opts.delay ?? 0)) / 1000) : 0;
    const last = activity.get(queue.name);
    const entry: QueueHealth = { queue: queue.name, waiting, oldestWaitingSeconds: Math.round(age), paused };
    if (last !== undefined) {
      entry.idleSeconds = Math.round((now - last) / 1000);
      if (waiting > 0 && !paused && now - last > HEALTH_MAX_IDLE_MS) problems.push(`${queue.name}: ${waiting} jobs waiting, none started for ${entry.idleSeconds} s`);
    }
    results.push(entry);
  }
  return { ok: problems.length === 0, redis: true, queues: results, problems };
}
