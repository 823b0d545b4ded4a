import { webApi } from '@slack/bolt';
import type { Destination } from '../../core/destination.js';
import { DeliveryError, type AlertSender } from '../../delivery/sender.js';
import type { Logger } from '../../log.js';
import { slackLogger } from './log.js';
import { alertContent, alertMessage, ALERT_EVENT_TYPE, replyContent, slackText, SLACK_LIMITS } from './render.js';

export interface SlackWebClientOptions {
  token: string;
  /** Web API base (`https://slack.com/api/`, or a fake's in tests). */
  apiUrl: string;
  log: Logger;
  /** Per-request limit; WebClient has none by default. */
  timeoutMs?: number;
}

/**
 * A WebClient for posting that never waits or retries by itself: a 429 rejects at once with
 * its Retry-After (the job goes back to the queue for exactly that long, other channels keep
 * flowing), and failures are retried by the queue, not by WebClient's 30-minute default loop.
 * https://docs.slack.dev/apis/web-api/rate-limits
 */
export function createSlackWebClient(opts: SlackWebClientOptions): webApi.WebClient {
  return new webApi.WebClient(opts.token, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    logger: slackLogger(opts.log, 'slack-web-api'),
  });
}

/** `chat.postMessage` errors that mean this channel will never take an alert again. https://docs.slack.dev/reference/methods/chat.postMessage#errors */
const CHANNEL_STOPS: Record<string, string> = {
  channel_not_found: 'the channel no longer exists, or it is private and Newshound is not in it (channel_not_found)',
  not_in_channel: 'Newshound is not a member of this channel (not_in_channel): invite it with /invite @Newshound',
  is_archived: 'the channel was archived (is_archived)',
  restricted_action: 'posting in this channel is restricted (restricted_action)',
  channel_is_archived: 'the channel was archived (channel_is_archived)',
};
/** Errors that mean the installation's token no longer works: nothing can be sent anywhere. */
const INSTALL_STOPS = new Set(['account_inactive', 'token_revoked', 'token_expired', 'invalid_auth', 'not_authed', 'team_access_not_granted', 'missing_scope', 'no_permission', 'ekm_access_denied']);
/** Errors about the message itself: sending it again will fail again. */
const REJECTED = new Set([
  'invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'msg_blocks_too_long', 'no_text', 'too_many_attachments',
  'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large', 'invalid_arguments', 'message_not_found',
  'cant_update_message', 'edit_window_closed', 'invalid_attachments',
]);

/** The Slack error code of a platform error, if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  return err instanceof webApi.WebAPIPlatformError ? err.data.error : undefined;
}

/** Classifies a Web API error for delivery; anything unclassified (network, 5xx) stays transient. */
export function toDeliveryError(err: unknown): unknown {
  if (err instanceof webApi.WebAPIRateLimitedError) {
    // Retry-After is whole seconds; 0 still means "not right now".
    return new DeliveryError('rate-limited', `rate limited for ${err.retryAfter} s`, { retryAfterMs: Math.max(1, err.retryAfter) * 1000, cause: err });
  }
  const code = slackErrorCode(err);
  if (code === undefined) return err;
  const stop = CHANNEL_STOPS[code];
  if (stop !== undefined) return new DeliveryError('destination-gone', stop, { cause: err });
  if (INSTALL_STOPS.has(code)) return new DeliveryError('platform-auth', `Slack refused the bot token (${code})`, { cause: err });
  if (REJECTED.has(code)) return new DeliveryError('rejected', `Slack rejected the message (${code})`, { cause: err });
  if (code === 'ratelimited') return new DeliveryError('rate-limited', 'rate limited', { retryAfterMs: 1000, cause: err });
  return err;
}

/**
 * Messages looked at when checking whether an unconfirmed post went out, newest first. A retry
 * waits for a send slot behind every alert already queued for the channel (1/s), so the message it
 * looks for can be that many messages back: one page of 100 was too few behind a busy queue.
 */
const RECONCILE_PAGE_SIZE = 200;
const RECONCILE_MAX_PAGES = 5;

/**
 * Posts alerts to Slack channels with `chat.postMessage` and edits them with `chat.update`.
 * After an uncertain attempt (no answer, a 5xx, a crash) the next attempt first looks for a
 * recent message carrying the same idempotency key in its metadata and returns that instead of
 * posting again: Slack has no idempotency key of its own.
 */
export function createSlackSender(client: webApi.WebClient, opts: { log: Logger }): AlertSender {
  const payloadKey = (payload: unknown) => (typeof payload === 'object' && payload !== null && 'idempotency_key' in payload ? payload.idempotency_key : undefined);
  const findPosted = async (channel: string, key: string): Promise<string | undefined> => {
    let cursor: string | undefined;
    for (let page = 0; page < RECONCILE_MAX_PAGES; page++) {
      let history;
      try {
        history = await client.conversations.history({ channel, limit: RECONCILE_PAGE_SIZE, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
      } catch (err) {
        if (slackErrorCode(err) === undefined) {
          // Rate limited or unreachable: keep the claim and try again later rather than risk a duplicate.
          throw new Error('could not check for an earlier unconfirmed alert', { cause: err });
        }
        // The bot may post without being a member (chat:write.public), but then cannot read history.
        opts.log.warn({ channel, error: slackErrorCode(err) }, 'ambiguous_delivery: cannot check history for an earlier unconfirmed alert; posting again');
        return undefined;
      }
      const found = history.messages?.find((m) => m.metadata?.event_type === ALERT_EVENT_TYPE && payloadKey(m.metadata.event_payload) === key);
      if (found?.ts !== undefined) return found.ts;
      cursor = history.response_metadata?.next_cursor;
      if (!history.has_more || !cursor) return undefined;
    }
    opts.log.warn({ channel, messages: RECONCILE_PAGE_SIZE * RECONCILE_MAX_PAGES }, 'ambiguous_delivery: an earlier unconfirmed alert is not among the newest messages; posting again');
    return undefined;
  };

  const postText = async (channel: string, text: string) => {
    try {
      await client.chat.postMessage({ channel, text: slackText(text, SLACK_LIMITS.fallbackText), unfurl_links: false, unfurl_media: false });
    } catch (err) {
      throw toDeliveryError(err);
    }
  };

  return {
    platform: 'slack',
    async send(dest: Destination, alert, idempotencyKey, attempt) {
      if (attempt?.retry) {
        const ts = await findPosted(dest.channelId, idempotencyKey);
        if (ts !== undefined) {
          opts.log.info({ channel: dest.channelId, ts }, 'found the alert of an unconfirmed attempt; not posting again');
          return { messageId: ts };
        }
      }
      let ts: string | undefined;
      try {
        ({ ts } = await client.chat.postMessage({ channel: dest.channelId, ...alertMessage(alert, idempotencyKey) }));
      } catch (err) {
        throw toDeliveryError(err);
      }
      if (ts === undefined) throw new Error('chat.postMessage answered without a ts');
      return { messageId: ts };
    },
    async edit(dest, messageId, alert) {
      try {
        await client.chat.update({ channel: dest.channelId, ts: messageId, ...alertContent(alert) });
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async postReply(dest, reply) {
      const content = replyContent({ ...reply, actions: [] });
      // A user group mention is the one notification Newshound ever sends (breaking news).
      const mention = reply.mention !== undefined && /^[A-Z0-9]+$/i.test(reply.mention) ? `<!subteam^${reply.mention}> ` : '';
      const blocks = mention ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: mention.trim() } }, ...content.blocks].slice(0, SLACK_LIMITS.blocks) : content.blocks;
      let ts: string | undefined;
      try {
        ({ ts } = await client.chat.postMessage({ channel: dest.channelId, text: `${mention}${content.text}`, blocks, unfurl_links: false, unfurl_media: false }));
      } catch (err) {
        throw toDeliveryError(err);
      }
      if (ts === undefined) throw new Error('chat.postMessage answered without a ts');
      return { messageId: ts };
    },
    async notice(dest, text) {
      await postText(dest.channelId, text);
    },
    async notifyUser(_workspace, userId, text) {
      // A user id as the channel posts in the app's direct messages with that user (App Home
      // messages tab): https://docs.slack.dev/reference/methods/chat.postMessage#app_home
      await postText(userId, text);
    },
  };
}
