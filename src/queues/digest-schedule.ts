import type { Redis } from 'ioredis';
import type { DigestSchedules } from '../chat/services.js';
import { destinationKey } from '../core/destination.js';
import { digestKey, digestPattern } from '../core/schedule.js';
import type { ChannelStore } from '../storage/channel-store.js';
import type { Keys } from '../storage/keys.js';
import type { SubscriptionStore } from '../storage/subscription-store.js';
import { jobIds } from './job-ids.js';
import { QUEUE_NAMES } from './names.js';
import type { Queues } from './queues.js';

/**
 * Digest schedules on BullMQ job schedulers: one cron schedule per (channel, bucket) in the
 * channel's time zone (`0 * * * *` hourly, `MM HH * * *` daily). Syncing is idempotent; buckets
 * no topic uses any more are removed.
 */
export function createDigestSchedules(redis: Redis, keys: Keys, queues: Queues, subscriptions: SubscriptionStore, channels: ChannelStore): DigestSchedules {
  return {
    async sync(dest) {
      const destKey = destinationKey(dest);
      const [subs, settings, before] = await Promise.all([subscriptions.list(dest), channels.settings(dest), redis.smembers(keys.digestBuckets(destKey))]);
      const wanted = new Map<string, string>();
      for (const s of subs) if (s.active && s.mode.kind !== 'instant') wanted.set(digestKey(s.mode), digestPattern(s.mode));
      for (const bucket of before) {
        if (!wanted.has(bucket)) await queues.digest.queue.removeJobScheduler(jobIds.digestScheduler(destKey, bucket));
      }
      for (const [bucket, pattern] of wanted) {
        await queues.digest.queue.upsertJobScheduler(
          jobIds.digestScheduler(destKey, bucket),
          { pattern, tz: settings.timeZone },
          { name: QUEUE_NAMES.digest, data: { destination: destKey, bucket } },
        );
      }
      const multi = redis.multi().del(keys.digestBuckets(destKey));
      if (wanted.size > 0) multi.sadd(keys.digestBuckets(destKey), ...wanted.keys());
      await multi.exec();
    },
  };
}
