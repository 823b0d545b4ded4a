import { z } from 'zod';
import { QUEUE_NAMES } from './names.js';

/** Job payload schemas, one per queue. Producers parse before `add`; workers parse on receipt. */
export const payloadSchemas = {
  [QUEUE_NAMES.poll]: z.object({ feedId: z.string().min(1) }).strict(),
  [QUEUE_NAMES.match]: z.object({ storyId: z.string().min(1), feedId: z.string().min(1) }).strict(),
} as const;

export type PayloadOf<Q extends keyof typeof payloadSchemas> = z.output<(typeof payloadSchemas)[Q]>;
export type PollJob = PayloadOf<typeof QUEUE_NAMES.poll>;
export type MatchJob = PayloadOf<typeof QUEUE_NAMES.match>;
