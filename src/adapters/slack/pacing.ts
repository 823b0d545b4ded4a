import type { Redis } from 'ioredis';
import { destinationKey } from '../../core/destination.js';
import { DeliveryError, type AlertSender } from '../../delivery/sender.js';
import type { Keys } from '../../storage/keys.js';

/**
 * Slack "generally allows one message per second per channel", with short bursts:
 * https://docs.slack.dev/reference/methods/chat.postMessage#rate_limiting. We stay one message
 * under the burst Slack tolerates, so a late job or a slow request never trips a 429.
 */
export const SLACK_CHANNEL_PACE = { intervalMs: 1000, burst: 2 } as const;

/** Kept this long past its last use; reservations are never more than minutes ahead. */
const IDLE_TTL_MS = 10 * 60_000;

// A GCRA (leaky bucket as a meter) per channel that hands out future slots: a job that is too
// early gets the next free slot as a ticket and is delayed until then, so waiting jobs are woken
// one at a time instead of all retrying at once. A 429 bumps the channel's epoch, which voids
// every ticket handed out before it; their jobs take new slots after the Retry-After.
// Time comes from Redis (TIME), so processes with skewed clocks share one schedule.
// KEYS[1] pace hash, KEYS[2] ticket ; ARGV: intervalMs, burst, idleTtlMs
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local epoch = redis.call('HGET', KEYS[1], 'epoch') or '0'
local ticket = redis.call('GET', KEYS[2])
if ticket then
  local sep = string.find(ticket, ':', 1, true)
  if sep and string.sub(ticket, 1, sep - 1) == epoch then
    local slot = tonumber(string.sub(ticket, sep + 1))
    if now >= slot then
      redis.call('DEL', KEYS[2])
      return 0
    end
    return slot - now
  end
  redis.call('DEL', KEYS[2])
end
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
if tat < now then tat = now end
local slot = tat - (tonumber(ARGV[2]) - 1) * interval
redis.call('HSET', KEYS[1], 'tat', tat + interval, 'epoch', epoch)
redis.call('PEXPIRE', KEYS[1], tat + interval - now + tonumber(ARGV[3]))
if slot <= now then return 0 end
redis.call('SET', KEYS[2], epoch .. ':' .. slot, 'PX', slot - now + tonumber(ARGV[3]))
return slot - now
`;

// KEYS[1] pace hash ; ARGV: blockMs, intervalMs, burst, idleTtlMs
const BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = now + tonumber(ARGV[1]) + (tonumber(ARGV[3]) - 1) * tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'tat', tat)
redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('PEXPIRE', KEYS[1], tat - now + tonumber(ARGV[4]))
return 1
`;

/** Per-channel send pacing shared by every worker process (state in Redis). */
export interface ChannelPacer {
  /**
   * Takes a send slot in the channel for a job: 0 means send now; otherwise the job should come
   * back after that many ms, when its reserved slot is due.
   */
  reserve(destKey: string, jobId: string): Promise<number>;
  /** After a 429: nothing may go to the channel for `ms`, and earlier reservations are void. */
  block(destKey: string, ms: number): Promise<void>;
}

/** A {@link ChannelPacer} on Redis. */
export function createRedisChannelPacer(redis: Redis, keys: Keys, pace: { intervalMs: number; burst: number } = SLACK_CHANNEL_PACE): ChannelPacer {
  return {
    async reserve(destKey, jobId) {
      return Number(await redis.eval(RESERVE, 2, keys.channelPace(destKey), keys.paceTicket(jobId), pace.intervalMs, pace.burst, IDLE_TTL_MS));
    },
    async block(destKey, ms) {
      await redis.eval(BLOCK, 1, keys.channelPace(destKey), Math.ceil(ms), pace.intervalMs, pace.burst, IDLE_TTL_MS);
    },
  };
}

/** A sender that closes the channel to everyone for a 429's Retry-After, not only to the job that got it. */
export function withChannelPacing(sender: AlertSender, pacer: ChannelPacer): AlertSender {
  const blockOn429 = async <T>(dest: Parameters<AlertSender['send']>[0], call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof DeliveryError && err.kind === 'rate-limited') await pacer.block(destinationKey(dest), err.opts.retryAfterMs ?? 1000);
      throw err;
    }
  };
  return {
    ...sender,
    platform: sender.platform,
    send: (dest, alert, key, attempt) => blockOn429(dest, () => sender.send(dest, alert, key, attempt)),
    edit: (dest, id, alert) => blockOn429(dest, () => sender.edit(dest, id, alert)),
  };
}
