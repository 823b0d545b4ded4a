import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from './names.js';
import { payloadSchemas, type PayloadOf } from './payloads.js';

/** Default job options per queue: small, idempotent jobs that clean up after themselves. */
const JOB_DEFAULTS: Record<QueueName, JobsOptions> = {
  [QUEUE_NAMES.poll]: { removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 }, attempts: 1 },
  [QUEUE_NAMES.match]: {
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
  },
};

/** A queue whose producer validates the payload before adding. */
export interface TypedQueue<Q extends QueueName> {
  readonly queue: Queue;
  add(payload: PayloadOf<Q>, opts?: JobsOptions): Promise<void>;
  addBulk(jobs: Array<{ payload: PayloadOf<Q>; opts?: JobsOptions }>): Promise<void>;
}

export type Queues = { [Q in QueueName]: TypedQueue<Q> } & { close(): Promise<void> };

/** Opens every queue on one connection with the installation's prefix. */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const make = <Q extends QueueName>(name: Q): TypedQueue<Q> => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: JOB_DEFAULTS[name] });
    return {
      queue,
      async add(payload, opts) {
        const data = payloadSchemas[name].parse(payload);
        await queue.add(name, data, opts);
      },
      async addBulk(jobs) {
        if (jobs.length === 0) return;
        await queue.addBulk(jobs.map((j) => ({ name, data: payloadSchemas[name].parse(j.payload), opts: j.opts })));
      },
    };
  };
  const poll = make(QUEUE_NAMES.poll);
  const match = make(QUEUE_NAMES.match);
  return {
    poll,
    match,
    async close() {
      await Promise.all([poll.queue.close(), match.queue.close()]);
    },
  };
}
