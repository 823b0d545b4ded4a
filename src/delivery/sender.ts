import type { Destination, Platform } from '../core/destination.js';
import type { Reply } from '../chat/reply.js';
import type { Alert } from './alert.js';

/** Posts and edits alerts on one platform. Implemented in src/adapters/<platform>/. */
export interface AlertSender {
  readonly platform: Platform;
  /**
   * Posts an alert. `idempotencyKey` is the same for every attempt at the same (channel,
   * cluster) alert: platforms that support it (Discord `nonce` + `enforce_nonce`) use it so a
   * retry after an uncertain send cannot show a second message. `attempt.retry` says an earlier
   * attempt at this alert may have reached the platform unconfirmed (no answer, a crash):
   * platforms without such a key (Slack) look for that message before posting again.
   */
  send(dest: Destination, alert: Alert, idempotencyKey: string, attempt?: SendAttempt): Promise<{ messageId: string }>;
  /** Replaces a posted alert (to add "also reported by ..."). */
  edit(dest: Destination, messageId: string, alert: Alert): Promise<void>;
  /**
   * After a "forbidden" error: looks at the channel again. `gone`: it does not exist (or the
   * bot cannot see it at all); `forbidden`: it exists but the bot may not post; `ok`: fine now.
   */
  recheck?(dest: Destination): Promise<'ok' | 'gone' | 'forbidden'>;
  /**
   * Posts a neutral reply as a channel message (digests, breaking-news follow-ups). A reply's
   * `mention` is the only thing that may ever notify anyone.
   */
  postReply(dest: Destination, reply: Reply): Promise<{ messageId: string }>;
  /** Posts a short plain notice in a channel (a feed of the workspace was disabled ...). */
  notice?(dest: Destination, text: string): Promise<void>;
  /** Sends a short plain message to one person directly (alerts to their channel stopped ...). */
  notifyUser?(workspace: Pick<Destination, 'platform' | 'workspaceId'>, userId: string, text: string): Promise<void>;
}

/** What a sender may need to know about this attempt at posting an alert. */
export interface SendAttempt {
  /** An earlier attempt at the same alert may have been posted without the answer arriving. */
  retry: boolean;
}

export type DeliveryErrorKind =
  /** Rate limited: try this job again after `retryAfterMs`; `global` means every send must wait. */
  | 'rate-limited'
  /** The channel is gone or the bot was removed: stop sending there. */
  | 'destination-gone'
  /** The bot may not post there (missing access/permissions): counted, stops after repeats. */
  | 'destination-forbidden'
  /** The bot's token is invalid or revoked: stop all sends on this platform. */
  | 'platform-auth'
  /** The message could not be built (the platform rejected its shape): retrying will not help. */
  | 'rejected';

/** A delivery failure a sender has classified; anything else thrown is treated as transient. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly opts: { retryAfterMs?: number; global?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
  }
}
