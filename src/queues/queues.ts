import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { DELIVER_QUEUES, QUEUE_NAMES, type QueueName } from './names.js';
import { payloadSchemas, type PayloadOf } from './payloads.js';

/** Deliveries retry for about 4 hours (exponential from 2 s) before they count as failed. */
const DELIVER_DEFAULTS: JobsOptions = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: 12,
  backoff: { type: 'exponential', delay: 2000 },
};

/** Default job options per queue: small, idempotent jobs that clean up after themselves. */
const JOB_DEFAULTS: Record<QueueName, JobsOptions> = {
  [QUEUE_NAMES.poll]: { removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 }, attempts: 1 },
  [QUEUE_NAMES.deliverDiscord]: DELIVER_DEFAULTS,
  [QUEUE_NAMES.deliverSlack]: DELIVER_DEFAULTS,
  [QUEUE_NAMES.deliverConsole]: DELIVER_DEFAULTS,
  [QUEUE_NAMES.digest]: {
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
    attempts: 8,
    backoff: { type: 'exponential', delay: 5000 },
  },
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

export interface Queues {
  poll: TypedQueue<typeof QUEUE_NAMES.poll>;
  match: TypedQueue<typeof QUEUE_NAMES.match>;
  deliver: { [P in keyof typeof DELIVER_QUEUES]: TypedQueue<(typeof DELIVER_QUEUES)[P]> };
  digest: TypedQueue<typeof QUEUE_NAMES.digest>;
  /** Every queue, for health checks and closing. */
  all(): Queue[];
  close(): Promise<void>;
}

/**
 * Opens every queue on one connection with the installation's prefix. A queue only re-emits its
 * connection's errors; whoever owns the connection logs those (`onError` may add more). Without a
 * listener BullMQ prints each one with console.error, once per queue and reconnect attempt: an
 * unstructured stack trace on stderr every few hundred ms for as long as Redis is down.
 */
export function createQueues(connection: ConnectionOptions, prefix: string, onError: (err: Error) => void = () => undefined): Queues {
  const make = <Q extends QueueName>(name: Q): TypedQueue<Q> => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: JOB_DEFAULTS[name] });
    queue.on('error', onError);
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
  const deliver = { discord: make(DELIVER_QUEUES.discord), slack: make(DELIVER_QUEUES.slack), console: make(DELIVER_QUEUES.console) };
  const digest = make(QUEUE_NAMES.digest);
  const all = () => [poll.queue, match.queue, ...Object.values(deliver).map((d) => d.queue), digest.queue];
  return {
    poll,
    match,
    deliver,
    digest,
    all,
    async close() {
      await Promise.all(all().map((q) => q.close()));
    },
  };
}
