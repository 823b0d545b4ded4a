import { createHash } from 'node:crypto';

/** A channel in an id: destination keys hold `:`, and a fixed-length hash keeps ids short. */
function channelPart(destinationKey: string): string {
  return createHash('sha256').update(destinationKey).digest('hex').slice(0, 20);
}

/**
 * Deterministic job ids, declared once. BullMQ refuses `:` in custom ids, so parts are joined
 * with `-`. The same logical job always gets the same id, so adding it twice is a no-op.
 */
export const jobIds = {
  /** The job scheduler that polls one feed every interval. */
  pollScheduler: (feedId: string) => `feed-${feedId}`,
  /** The one-off first poll of a feed that has never been polled (records a baseline). */
  firstPoll: (feedId: string) => `first-${feedId}`,
  /** Matching one story as seen in one feed. */
  match: (feedId: string, storyId: string) => `match-${feedId}-${storyId}`,
  /** The catch-up message of a channel when its quiet hours end (one per window). */
  catchUp: (destinationKey: string, untilMs: number) => `catchup-${channelPart(destinationKey)}-${untilMs}`,
  /** The job scheduler of one channel's digest bucket (`hourly`, `daily-0800`). */
  digestScheduler: (destinationKey: string, bucket: string) => `digest-${channelPart(destinationKey)}-${bucket}`,
  /** Delivering one story to one channel (the ledger decides between posting and editing). */
  deliver: (destinationKey: string, storyId: string) => `deliver-${channelPart(destinationKey)}-${storyId}`,
};
