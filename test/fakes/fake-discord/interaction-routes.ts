/**
 * Interaction callbacks and interaction webhooks (no Authorization header, exempt from the global
 * limit): https://discord.com/developers/docs/interactions/receiving-and-responding
 */
import type { LiveInteraction } from './interactions.js';
import { route, type RouteContext, type RouteDef } from './route-def.js';
import {
  ALREADY_ACKNOWLEDGED,
  UNKNOWN_INTERACTION,
  UNKNOWN_MESSAGE,
  UNKNOWN_WEBHOOK,
  errorReply,
  type Reply,
} from './state.js';
import type { FakeMessage, InteractionEvent } from './types.js';
import { arr, discordLength, isRecord, num, str, type JsonObject } from './util.js';
import { ErrorTree, invalidFormBody, validateEdit, validateMessage } from './validate.js';

/** Interaction tokens work for 15 minutes. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** Callback types allowed per interaction type (2 command, 3 component, 4 autocomplete, 5 modal submit). */
const ALLOWED_CALLBACKS: Record<number, readonly number[]> = {
  2: [4, 5, 9, 12],
  3: [4, 5, 6, 7, 9, 12],
  4: [8],
  5: [4, 5, 6, 7],
};

function codeOf(reply: Reply): number | undefined {
  return isRecord(reply.body) ? num(reply.body.code) : undefined;
}

function channelOf(rec: LiveInteraction): string {
  const channel = rec.payload.channel;
  return str(rec.payload.channel_id) ?? (isRecord(channel) ? str(channel.id) : undefined) ?? '';
}

/** The message a component interaction is attached to: the stored one, else one built from the payload. */
function sourceMessage(ctx: RouteContext, rec: LiveInteraction): FakeMessage {
  const raw = isRecord(rec.payload.message) ? rec.payload.message : {};
  const channelId = str(raw.channel_id) ?? channelOf(rec);
  const stored = ctx.state.findVisible(channelId, str(raw.id) ?? '');
  return (
    stored ?? {
      id: str(raw.id) ?? '0',
      channel_id: channelId,
      content: str(raw.content) ?? '',
      embeds: arr(raw.embeds) ?? [],
      components: arr(raw.components) ?? [],
      nonce: null,
      allowed_mentions: undefined,
      edited_timestamp: null,
      timestamp: str(raw.timestamp) ?? new Date().toISOString(),
      flags: num(raw.flags) ?? 0,
      interaction_id: null,
    }
  );
}

function invalidType(): Reply {
  return errorReply(
    invalidFormBody({ type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid' }] } }),
  );
}

function validateSpecial(type: number, data: unknown): Reply | null {
  const t = new ErrorTree();
  const d = isRecord(data) ? data : {};
  if (type === 8) {
    const choices = arr(d.choices) ?? [];
    if (choices.length > 25) t.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    choices.forEach((c, i) => {
      const name = isRecord(c) ? str(c.name) : undefined;
      if (name === undefined || discordLength(name) < 1 || discordLength(name) > 100) {
        t.add(['data', 'choices', i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
    });
  } else if (type === 9) {
    const title = str(d.title) ?? '';
    if (discordLength(title) < 1 || discordLength(title) > 45) t.add(['data', 'title'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
    const id = str(d.custom_id) ?? '';
    if (discordLength(id) < 1 || discordLength(id) > 100) t.add(['data', 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    const rows = arr(d.components) ?? [];
    if (rows.length < 1 || rows.length > 5) t.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  const err = t.toError();
  return err ? errorReply(err) : null;
}

/** Runs an accepted-so-far callback; returns the reply and the message it produced or addressed. */
function applyCallback(ctx: RouteContext, rec: LiveInteraction, type: number, data: unknown): { reply: Reply; message?: FakeMessage } {
  const interactionType = num(rec.payload.type) ?? 2;
  if (!(ALLOWED_CALLBACKS[interactionType] ?? []).includes(type)) return { reply: invalidType() };
  const channelId = channelOf(rec);
  const body: JsonObject = isRecord(data) ? data : {};
  let message: FakeMessage | undefined;
  switch (type) {
    case 4: {
      const invalid = validateMessage(body, 'create');
      if (invalid) return { reply: errorReply(invalid) };
      message = ctx.state.createMessage(channelId, body, { interactionId: rec.id });
      break;
    }
    case 5:
      message = ctx.state.createMessage(channelId, { flags: (num(body.flags) ?? 0) & 64 }, { interactionId: rec.id, deferred: true });
      break;
    case 6:
      message = sourceMessage(ctx, rec);
      break;
    case 7: {
      message = sourceMessage(ctx, rec);
      const invalid = validateEdit(message, body);
      if (invalid) return { reply: errorReply(invalid) };
      ctx.state.editMessage(message, body);
      break;
    }
    default: {
      const invalid = validateSpecial(type, data);
      if (invalid) return { reply: invalid };
    }
  }
  rec.original = message;
  if (ctx.query.with_response !== 'true') return { reply: { status: 204 }, message };
  return {
    message,
    reply: {
      status: 200,
      body: {
        interaction: {
          id: rec.id,
          type: interactionType,
          response_message_id: message?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: message ? (message.flags & 64) !== 0 : undefined,
        },
        resource: { type, ...(message ? { message: ctx.state.toApi(message) } : {}) },
      },
    },
  };
}

function handleCallback(ctx: RouteContext): Reply {
  const rec = ctx.state.interactionsById.get(ctx.params.interaction!);
  if (!rec || rec.token !== ctx.params.token) return UNKNOWN_INTERACTION;
  const json = isRecord(ctx.json) ? ctx.json : undefined;
  const type = num(json?.type);
  let result: { reply: Reply; message?: FakeMessage };
  if (rec.callbackType !== undefined) result = { reply: ALREADY_ACKNOWLEDGED };
  else if (rec.elapsed() > ctx.state.cfg.interactionDeadlineMs) result = { reply: UNKNOWN_INTERACTION };
  else if (type === undefined) {
    result = { reply: errorReply(invalidFormBody({ type: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } })) };
  } else result = applyCallback(ctx, rec, type, json?.data);
  const code = codeOf(result.reply);
  rec.record({
    kind: 'callback',
    ...(type !== undefined ? { type } : {}),
    data: json?.data,
    status: result.reply.status,
    ...(code !== undefined ? { code } : {}),
    ...(result.message ? { messageId: result.message.id } : {}),
  });
  return result.reply;
}

/** `POST /interactions/:id/:token/callback`: deadline, single acknowledgement, per-type validation. */
export const callbackRoute: RouteDef = route(
  'POST',
  '/interactions/:interaction/:token/callback',
  false,
  (p) => `${p.interaction}/${p.token}`,
  handleCallback,
);

type WebhookKind = InteractionEvent['kind'];

/** Resolves the interaction behind a webhook token, records the event and returns the reply. */
function webhook(ctx: RouteContext, kind: (rec: LiveInteraction) => WebhookKind, act: (rec: LiveInteraction) => { reply: Reply; message?: FakeMessage }): Reply {
  const rec = ctx.state.interactionsByToken.get(ctx.params.token!);
  if (!rec || ctx.params.app !== ctx.state.cfg.appId) return UNKNOWN_WEBHOOK;
  const usable = rec.callbackType !== undefined && rec.elapsed() <= TOKEN_LIFETIME_MS;
  const result = usable ? act(rec) : { reply: UNKNOWN_WEBHOOK };
  const code = codeOf(result.reply);
  rec.record({
    kind: kind(rec),
    data: ctx.json,
    status: result.reply.status,
    ...(code !== undefined ? { code } : {}),
    ...(result.message ? { messageId: result.message.id } : {}),
  });
  return result.reply;
}

function isOriginal(ctx: RouteContext, rec: LiveInteraction): boolean {
  const id = ctx.params.message!;
  return id === '@original' || (rec.original !== undefined && rec.original.id === id);
}

function target(ctx: RouteContext, rec: LiveInteraction): FakeMessage | undefined {
  return isOriginal(ctx, rec) ? rec.original : rec.followups.get(ctx.params.message!);
}

const webhookMajor = (p: Record<string, string>): string => `${p.app}/${p.token}`;
const messagePath = '/webhooks/:app/:token/messages/:message';

/** `@original` and follow-ups through `/webhooks/:app/:token`, usable for 15 minutes after an accepted callback. */
export const webhookRoutes: readonly RouteDef[] = [
  route('GET', messagePath, false, webhookMajor, (ctx) =>
    webhook(
      ctx,
      (rec) => (isOriginal(ctx, rec) ? 'getOriginal' : 'getFollowup'),
      (rec) => {
        const m = target(ctx, rec);
        return m ? { reply: { status: 200, body: ctx.state.toApi(m) }, message: m } : { reply: UNKNOWN_MESSAGE };
      },
    ),
  ),
  route('PATCH', messagePath, false, webhookMajor, (ctx) =>
    webhook(
      ctx,
      (rec) => (isOriginal(ctx, rec) ? 'editOriginal' : 'editFollowup'),
      (rec) => {
        const m = target(ctx, rec);
        if (!m) return { reply: UNKNOWN_MESSAGE };
        const invalid = validateEdit(m, ctx.json);
        if (invalid) return { reply: errorReply(invalid) };
        ctx.state.editMessage(m, ctx.json as JsonObject);
        return { reply: { status: 200, body: ctx.state.toApi(m) }, message: m };
      },
    ),
  ),
  route('DELETE', messagePath, false, webhookMajor, (ctx) =>
    webhook(
      ctx,
      (rec) => (isOriginal(ctx, rec) ? 'deleteOriginal' : 'deleteFollowup'),
      (rec) => {
        const m = target(ctx, rec);
        if (!m) return { reply: UNKNOWN_MESSAGE };
        ctx.state.deleteMessage(m);
        if (m === rec.original) rec.original = undefined;
        rec.followups.delete(m.id);
        return { reply: { status: 204 }, message: m };
      },
    ),
  ),
  route('POST', '/webhooks/:app/:token', false, webhookMajor, (ctx) =>
    webhook(
      ctx,
      () => 'followup',
      (rec) => {
        const invalid = validateMessage(ctx.json, 'create');
        if (invalid) return { reply: errorReply(invalid) };
        const m = ctx.state.createMessage(channelOf(rec), ctx.json as JsonObject, { interactionId: rec.id });
        rec.followups.set(m.id, m);
        const reply: Reply = ctx.query.wait === 'true' ? { status: 200, body: ctx.state.toApi(m) } : { status: 204 };
        return { reply, message: m };
      },
    ),
  ),
];
