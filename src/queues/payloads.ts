import { z } from 'zod';
import { QUEUE_NAMES } from './names.js';

/** One story to one channel: the payload of every platform's deliver queue. */
const deliverJob = z
  .object({
    /** Destination key (`platform:workspace:channel`). */
    destination: z.string().min(1),
    storyId: z.string().min(1),
    clusterId: z.string().min(1),
    /** Every topic of this channel that matched, with the terms that made it match. */
    topics: z.array(z.object({ topicId: z.string(), query: z.string(), terms: z.array(z.string()) })).min(1),
  })
  .strict();

/** Job payload schemas, one per queue. Producers parse before `add`; workers parse on receipt. */
export const payloadSchemas = {
  [QUEUE_NAMES.poll]: z.object({ feedId: z.string().min(1) }).strict(),
  [QUEUE_NAMES.match]: z.object({ storyId: z.string().min(1), feedId: z.string().min(1) }).strict(),
  [QUEUE_NAMES.deliverDiscord]: deliverJob,
  [QUEUE_NAMES.deliverSlack]: deliverJob,
  [QUEUE_NAMES.deliverConsole]: deliverJob,
  [QUEUE_NAMES.digest]: z
    .object({
      destination: z.string().min(1),
      /** `quiet` (catch-up after quiet hours), `hourly` or `daily-HHMM`. */
      bucket: z.string().regex(/^(quiet|hourly|daily-\d{4})$/),
    })
    .strict(),
} as const;

export type PayloadOf<Q extends keyof typeof payloadSchemas> = z.output<(typeof payloadSchemas)[Q]>;
export type PollJob = PayloadOf<typeof QUEUE_NAMES.poll>;
export type MatchJob = PayloadOf<typeof QUEUE_NAMES.match>;
export type DeliverJob = z.output<typeof deliverJob>;
export type DigestJob = PayloadOf<typeof QUEUE_NAMES.digest>;
