/**
 * What Slack sends to a bot: request signing and the payloads of slash commands, button clicks
 * and events, shared by HTTP mode (serialized bodies) and Socket Mode (envelope payloads).
 */
import { createHmac } from 'node:crypto';
import type { BlockActionsOptions, SlashCommandOptions } from './types.js';

/** What the payload builders need from the fake. */
export interface PayloadContext {
  teamId: string;
  appId: string;
  botUserId: string;
  defaultChannel: string;
  channelName(id: string): string;
  userName(id: string): string;
  /** Registers a response_url for the sink, remembering where an in_channel answer would appear. */
  responseUrl(id: string | undefined, target: { channel: string; messageTs?: string }): string;
  newestTs(channel: string): string | undefined;
  nextId(prefix: string): string;
}

/** The verification token field Slack still sends (deprecated; Bolt ignores it). */
const VERIFICATION_TOKEN = 'fake-verification-token';

/**
 * `x-slack-signature: v0=HMAC-SHA256(secret, "v0:" + ts + ":" + body)`:
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function signSlackRequest(secret: string, rawBody: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${sig}` };
}

/** Slash-command fields, all strings, as in https://docs.slack.dev/interactivity/implementing-slash-commands */
export function slashCommandPayload(ctx: PayloadContext, o: SlashCommandOptions): Record<string, string> {
  const channel = o.channelId ?? ctx.defaultChannel;
  const user = o.userId ?? 'U0ALICE';
  const teamId = o.teamId ?? ctx.teamId;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: 'newshound-test',
    channel_id: channel,
    channel_name: ctx.channelName(channel),
    user_id: user,
    user_name: ctx.userName(user),
    command: o.command ?? '/news',
    text: o.text,
    api_app_id: ctx.appId,
    is_enterprise_install: 'false',
    response_url: ctx.responseUrl(o.responseUrlId, { channel }),
    trigger_id: o.triggerId ?? ctx.nextId('trig.'),
  };
}

/** A `block_actions` payload for one button click: https://docs.slack.dev/reference/interaction-payloads/block_actions-payload */
export function blockActionsPayload(ctx: PayloadContext, o: BlockActionsOptions): Record<string, unknown> {
  const channel = o.channelId ?? ctx.defaultChannel;
  const user = o.userId ?? 'U0ALICE';
  const teamId = o.teamId ?? ctx.teamId;
  const messageTs = o.messageTs ?? ctx.newestTs(channel);
  const actionTs = (Date.now() / 1000).toFixed(6);
  return {
    type: 'block_actions',
    user: { id: user, username: ctx.userName(user), name: ctx.userName(user), team_id: teamId },
    api_app_id: ctx.appId,
    token: VERIFICATION_TOKEN,
    container: messageTs === undefined
      ? { type: 'message', channel_id: channel, is_ephemeral: true }
      : { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: o.triggerId ?? ctx.nextId('trig.'),
    team: { id: teamId, domain: 'newshound-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: ctx.channelName(channel) },
    ...(messageTs === undefined ? {} : { message: { type: 'message', ts: messageTs, user: ctx.botUserId } }),
    state: { values: {} },
    response_url: ctx.responseUrl(o.responseUrlId, messageTs === undefined ? { channel } : { channel, messageTs }),
    actions: [{
      action_id: o.actionId,
      block_id: o.blockId ?? 'actions',
      text: { type: 'plain_text', text: o.buttonText ?? 'Button', emoji: true },
      ...(o.value === undefined ? {} : { value: o.value }),
      type: 'button',
      action_ts: actionTs,
    }],
  };
}

/** An Events API `event_callback` wrapper: https://docs.slack.dev/apis/events-api/#callback-field */
export function eventPayload(ctx: PayloadContext, event: object): Record<string, unknown> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    api_app_id: ctx.appId,
    event: { event_ts: (Date.now() / 1000).toFixed(6), ...event },
    type: 'event_callback',
    event_id: ctx.nextId('Ev0'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: ctx.teamId, user_id: ctx.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
