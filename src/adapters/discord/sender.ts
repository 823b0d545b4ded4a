import { DiscordAPIError, RateLimitError, REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { Destination } from '../../core/destination.js';
import { DeliveryError, type AlertSender } from '../../delivery/sender.js';
import { clip } from '../../chat/cards.js';
import { alertBody, alertMessage, DISCORD_LIMITS, NO_MENTIONS, replyMessage } from './render.js';

export interface DiscordRestOptions {
  token: string;
  /** REST base without version (`https://discord.com/api`, or a fake's in tests). */
  api: string;
  /** Retries of 5xx and timeouts inside one attempt (the queue retries beyond that). */
  retries?: number;
  timeoutMs?: number;
}

/**
 * A REST client for posting: it never sleeps on a rate limit. Every known or hit limit rejects
 * with RateLimitError, so the job goes back to the queue for exactly that long and other
 * channels' alerts keep flowing. https://discord.com/developers/docs/topics/rate-limits
 */
export function createDiscordRest(opts: DiscordRestOptions): REST {
  return new REST({
    api: opts.api,
    rejectOnRateLimit: () => true,
    retries: opts.retries ?? 1,
    timeout: opts.timeoutMs ?? 15_000,
    offset: 0,
  }).setToken(opts.token);
}

/** Classifies a Discord error for delivery: what to do about it is decided in src/delivery. */
export function toDeliveryError(err: unknown): unknown {
  if (err instanceof RateLimitError) {
    return new DeliveryError('rate-limited', `rate limited on ${err.route}`, { retryAfterMs: err.retryAfter, global: err.global, cause: err });
  }
  if (err instanceof DiscordAPIError) {
    if (err.status === 401) return new DeliveryError('platform-auth', 'Discord refused the bot token (401)', { cause: err });
    switch (err.code) {
      case RESTJSONErrorCodes.UnknownChannel:
      case RESTJSONErrorCodes.UnknownGuild:
        return new DeliveryError('destination-gone', `channel no longer exists (${err.code})`, { cause: err });
      case RESTJSONErrorCodes.MissingAccess:
        return new DeliveryError('destination-forbidden', 'Newshound cannot see this channel any more (Missing Access)', { cause: err });
      case RESTJSONErrorCodes.MissingPermissions:
        return new DeliveryError('destination-forbidden', 'Newshound may not post here (Missing Permissions: needs Send Messages and Embed Links)', { cause: err });
      case RESTJSONErrorCodes.UnknownMessage:
      case RESTJSONErrorCodes.InvalidFormBodyOrContentType:
        return new DeliveryError('rejected', `Discord rejected the message (${err.code}: ${err.message.split('\n')[0]})`, { cause: err });
    }
    if (err.status === 403) return new DeliveryError('destination-forbidden', `forbidden (${err.code})`, { cause: err });
    if (err.status === 404) return new DeliveryError('destination-gone', `not found (${err.code})`, { cause: err });
    if (err.status === 400) return new DeliveryError('rejected', `bad request (${err.code})`, { cause: err });
  }
  // The REST client forgets its token after a 401; later calls fail before any request.
  if (err instanceof Error && /Expected token to be set/i.test(err.message)) {
    return new DeliveryError('platform-auth', 'the Discord token was refused earlier', { cause: err });
  }
  return err;
}

/** Posts alerts to Discord channels through REST only (no gateway in worker processes). */
export function createDiscordSender(rest: REST): AlertSender {
  return {
    platform: 'discord',
    async send(dest: Destination, alert, nonce) {
      try {
        const message = (await rest.post(Routes.channelMessages(dest.channelId), { body: alertMessage(alert, nonce) })) as { id: string };
        return { messageId: message.id };
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async edit(dest, messageId, alert) {
      try {
        await rest.patch(Routes.channelMessage(dest.channelId, messageId), { body: alertBody(alert) });
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async postReply(dest, reply) {
      const body = replyMessage({ ...reply, actions: [] });
      // A role mention is the one notification Newshound ever sends (breaking news), and only that role.
      const role = reply.mention !== undefined && /^\d{1,30}$/.test(reply.mention) ? reply.mention : undefined;
      const content = role ? clip(`<@&${role}> ${body.content}`, DISCORD_LIMITS.content) : body.content;
      try {
        const message = (await rest.post(Routes.channelMessages(dest.channelId), {
          body: { content, embeds: body.embeds, allowed_mentions: role ? { parse: [], roles: [role] } : NO_MENTIONS },
        })) as { id: string };
        return { messageId: message.id };
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async notice(dest, text) {
      try {
        await rest.post(Routes.channelMessages(dest.channelId), { body: { content: clip(text, DISCORD_LIMITS.content), allowed_mentions: NO_MENTIONS } });
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async notifyUser(_workspace, userId, text) {
      try {
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
        await rest.post(Routes.channelMessages(dm.id), { body: { content: clip(text, DISCORD_LIMITS.content), allowed_mentions: NO_MENTIONS } });
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async recheck(dest) {
      try {
        await rest.get(Routes.channel(dest.channelId));
        return 'ok';
      } catch (err) {
        const classified = toDeliveryError(err);
        if (classified instanceof DeliveryError && classified.kind === 'destination-gone') return 'gone';
        return 'forbidden';
      }
    },
  };
}
