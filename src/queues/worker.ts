import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import type { FeedFetcher } from '../feeds/fetch.js';
import type { StorySummarizer } from '../feeds/article-summary.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../ops/metrics.js';
import type { EventLog } from '../storage/event-log.js';
import type { FeedStore } from '../storage/feed-store.js';
import type { Keys } from '../storage/keys.js';
import type { Platform } from '../core/destination.js';
import type { AlertSender } from '../delivery/sender.js';
import type { AlertCounter } from '../storage/chat-stores.js';
import type { ChannelStore } from '../storage/channel-store.js';
import type { ClusterStore } from '../storage/cluster-store.js';
import type { Counters } from '../storage/counters.js';
import type { DeliveryLedger } from '../storage/delivery-ledger.js';
import type { SearchIndexer } from '../storage/search-index.js';
import type { StorySearch } from '../chat/services.js';
import type { StoryStore } from '../storage/story-store.js';
import type { SubscriptionStore } from '../storage/subscription-store.js';
import type { TopicMatcher } from '../storage/topic-sync.js';
import type { QueueName } from './names.js';
import { payloadSchemas, type PayloadOf } from './payloads.js';
import type { Queues } from './queues.js';

/** Everything a job processor may use, passed in explicitly by the mode that starts workers. */
export interface WorkerContext {
  config: Config;
  log: Logger;
  redis: Redis;
  keys: Keys;
  feeds: FeedStore;
  stories: StoryStore;
  events: EventLog;
  subscriptions: SubscriptionStore;
  clusters: ClusterStore;
  /** This process's compiled index of every active topic. */
  topics: TopicMatcher;
  /** The story search index: written by the poll worker, read by searches. */
  search: SearchIndexer & StorySearch;
  ledger: DeliveryLedger;
  alertStats: AlertCounter;
  counters: Counters;
  /** Per-channel settings, held stories and muted clusters. */
  channels: ChannelStore;
  /** Prometheus metrics of this process. */
  metrics: Metrics;
  /** How this process posts to each platform it is connected to. */
  senders: Partial<Record<Platform, AlertSender>>;
  queues: Queues;
  fetcher: FeedFetcher;
  /** Summaries for matched stories (article text, optional model); written onto the story. */
  summaries: StorySummarizer;
  /** Current time in ms; tests may pin it. */
  now: () => number;
}

/** The running job, and what a processor may do with it besides returning or throwing. */
export interface JobRun {
  job: Job;
  /** Aborts when shutdown runs out of grace: stop network calls then. */
  signal: AbortSignal;
  /** Puts this job back to run again after `ms`, without counting an attempt. Never returns. */
  delayJob(ms: number): Promise<never>;
  /** Pauses the whole queue (every process) for `ms` and retries this job after. Never returns. */
  rateLimitQueue(ms: number): Promise<never>;
}

/** One queue processor: the contract of every `workers/<queue>.worker.ts` file. */
export interface WorkerDefinition<Q extends QueueName = QueueName> {
  queue: Q;
  /** Jobs this process works on at once. */
  concurrency: number;
  /** BullMQ's queue-wide rate limiter (every process together), for platform limits. */
  limiter?: { max: number; duration: number };
  process(payload: PayloadOf<Q>, ctx: WorkerContext, run: JobRun): Promise<unknown>;
}

/** A definition for any one queue (what registries hold). */
export type AnyWorkerDefinition = { [Q in QueueName]: WorkerDefinition<Q> }[QueueName];

/** Declares a queue processor; checked at load, so a file that exports anything else fails fast. */
export function defineWorker<Q extends QueueName>(def: WorkerDefinition<Q>): WorkerDefinition<Q> {
  if (!(def.queue in payloadSchemas)) throw new Error(`unknown queue ${def.queue}`);
  if (!Number.isInteger(def.concurrency) || def.concurrency < 1) throw new Error(`bad concurrency for ${def.queue}`);
  return def;
}

/** BullMQ timings; tests shorten them. */
export interface WorkerTimings {
  lockDuration?: number;
  stalledInterval?: number;
  drainDelay?: number;
}

/**
 * Starts one BullMQ worker per definition. Payloads are validated on receipt; an invalid payload
 * fails its job without retries. Errors are logged with the job's context and never crash the
 * process. Returns stop(), which lets in-flight jobs finish for `graceMs`, then force-closes.
 */
export function startWorkers(
  defs: AnyWorkerDefinition[],
  ctx: WorkerContext,
  connection: ConnectionOptions,
  timings: WorkerTimings = {},
): { workers: Worker[]; activity: ReadonlyMap<string, number>; stop(graceMs?: number): Promise<void> } {
  // When each queue's worker last started a job (or started): the liveness probe's evidence.
  const activity = new Map<string, number>(defs.map((d) => [d.queue, Date.now()]));
  const workers = defs.map((def) => {
    const worker: Worker = new Worker(
      def.queue,
      async (job: Job, token?: string, signal?: AbortSignal) => {
        activity.set(def.queue, Date.now());
        const parsed = payloadSchemas[def.queue].safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid ${def.queue} payload`);
        const run: JobRun = {
          job,
          signal: signal ?? new AbortController().signal,
          async delayJob(ms) {
            await job.moveToDelayed(Date.now() + Math.max(ms, 1), token);
            throw new DelayedError();
          },
          async rateLimitQueue(ms) {
            await worker.rateLimit(Math.max(ms, 1));
            throw Worker.RateLimitError();
          },
        };
        return await def.process(parsed.data as never, ctx, run);
      },
      {
        connection,
        prefix: ctx.config.REDIS_PREFIX,
        concurrency: def.concurrency,
        ...(def.limiter ? { limiter: def.limiter } : {}),
        ...timings,
      },
    );
    worker.on('failed', (job, err) => {
      ctx.log.warn({ queue: def.queue, jobId: job?.id, attempts: job?.attemptsMade, err }, 'job failed');
    });
    worker.on('error', (err) => {
      ctx.log.error({ queue: def.queue, err }, 'worker error');
    });
    return worker;
  });
  return {
    workers,
    activity,
    async stop(graceMs = 10_000) {
      await Promise.all(
        workers.map(async (w) => {
          // close() stops taking jobs and waits for the running ones. If they outlast the grace,
          // cancel them (their AbortSignal fires) and give them a moment to unwind; a job cut
          // short is picked up again by another worker, and every job is idempotent.
          const closed = w.close();
          if ((await withTimeout(closed, graceMs)) === 'timeout') {
            w.cancelAllJobs('shutting down');
            await withTimeout(closed, SHUTDOWN_CANCEL_WAIT_MS);
          }
        }),
      );
    },
  };
}

/** After cancelling jobs at shutdown, how long to wait for them to unwind. */
const SHUTDOWN_CANCEL_WAIT_MS = 2_000;

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise.then(() => 'done' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
