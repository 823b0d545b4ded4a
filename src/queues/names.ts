/** Every BullMQ queue, named once. A queue name written anywhere else is a bug. */
export const QUEUE_NAMES = {
  /** One job per feed poll (scheduled per feed). */
  poll: 'poll',
  /** One job per new story: find the topics it matches. */
  match: 'match',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
