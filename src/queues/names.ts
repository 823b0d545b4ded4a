/** Every BullMQ queue, named once. A queue name written anywhere else is a bug. */
export const QUEUE_NAMES = {
  /** One job per feed poll (scheduled per feed). */
  poll: 'poll',
  /** One job per new story: find the topics it matches. */
  match: 'match',
  /** One job per (Discord channel, story): post the alert, or edit it when its cluster was already sent. */
  deliverDiscord: 'deliver-discord',
  /** The same for Slack channels. */
  deliverSlack: 'deliver-slack',
  /** The same for the console adapter (alerts printed to the terminal). */
  deliverConsole: 'deliver-console',
  /** One job per (channel, digest bucket) when it is due: an hourly/daily digest or the catch-up after quiet hours. */
  digest: 'digest',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** The deliver queue of each platform: one queue per platform, so each has its own rate limiter. */
export const DELIVER_QUEUES = {
  discord: QUEUE_NAMES.deliverDiscord,
  slack: QUEUE_NAMES.deliverSlack,
  console: QUEUE_NAMES.deliverConsole,
} as const;

export type DeliverQueueName = (typeof DELIVER_QUEUES)[keyof typeof DELIVER_QUEUES];
