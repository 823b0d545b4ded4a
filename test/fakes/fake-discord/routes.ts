/** The REST route table (paths under `/api/v10`) and the non-interaction handlers. */
import { callbackRoute, webhookRoutes } from './interaction-routes.js';
import {
  MISSING_ACCESS,
  UNKNOWN_CHANNEL,
  UNKNOWN_GUILD,
  UNKNOWN_MESSAGE,
  errorReply,
  type Reply,
} from './state.js';
import { route, type RouteContext, type RouteDef } from './route-def.js';
import type { FakeMessage } from './types.js';
import { arr, num, snowflake, str, type JsonObject } from './util.js';
import { validateCommand, validateCommands, validateEdit, validateMessage } from './validate.js';

const channelMajor = (p: Record<string, string>): string => p.channel ?? '';
const guildMajor = (p: Record<string, string>): string => p.guild ?? '';
const appMajor = (p: Record<string, string>): string => p.app ?? '';
const none = (): string => '';

function withChannel(ctx: RouteContext, then: (channelId: string) => Reply): Reply {
  const id = ctx.params.channel!;
  return ctx.state.channels.has(id) ? then(id) : UNKNOWN_CHANNEL;
}

function withGuild(ctx: RouteContext, then: (guild: JsonObject) => Reply): Reply {
  const g = ctx.state.guilds.get(ctx.params.guild!);
  return g ? then(g) : UNKNOWN_GUILD;
}

function createChannelMessage(ctx: RouteContext): Reply {
  return withChannel(ctx, (channelId) => {
    const invalid = validateMessage(ctx.json, 'create');
    if (invalid) return errorReply(invalid);
    const body = ctx.json as JsonObject;
    const existing = ctx.state.nonceHit(channelId, body);
    const m = existing ?? ctx.state.createMessage(channelId, body);
    return { status: 200, body: ctx.state.toApi(m) };
  });
}

function withMessage(ctx: RouteContext, then: (m: FakeMessage) => Reply): Reply {
  return withChannel(ctx, (channelId) => {
    const m = ctx.state.findVisible(channelId, ctx.params.message!);
    return m ? then(m) : UNKNOWN_MESSAGE;
  });
}

function listMessages(ctx: RouteContext): Reply {
  return withChannel(ctx, (channelId) => {
    const limit = Math.min(100, Math.max(1, Number(ctx.query.limit ?? 50) || 50));
    const list = [...(ctx.state.visible.get(channelId) ?? [])].reverse().slice(0, limit);
    return { status: 200, body: list.map((m) => ctx.state.toApi(m)) };
  });
}

function commandScope(ctx: RouteContext): string | Reply {
  if (ctx.params.app !== ctx.state.cfg.appId) return MISSING_ACCESS;
  const guild = ctx.params.guild;
  if (guild !== undefined && !ctx.state.guilds.has(guild)) return UNKNOWN_GUILD;
  return guild ?? '';
}

/** Stored form of a command: the body plus what Discord adds; the id survives re-registration under the same name. */
function storedCommand(ctx: RouteContext, scope: string, body: JsonObject): JsonObject {
  const type = num(body.type) ?? 1;
  const previous = ctx.state.commands.get(scope)?.find((c) => c.name === body.name && c.type === type);
  return {
    ...body,
    id: str(previous?.id) ?? snowflake(),
    application_id: ctx.state.cfg.appId,
    version: snowflake(),
    type,
    description: str(body.description) ?? '',
    default_member_permissions: body.default_member_permissions ?? null,
    nsfw: body.nsfw ?? false,
    ...(scope !== '' ? { guild_id: scope } : {}),
  };
}

function getCommands(ctx: RouteContext): Reply {
  const scope = commandScope(ctx);
  if (typeof scope !== 'string') return scope;
  return { status: 200, body: ctx.state.commands.get(scope) ?? [] };
}

function putCommands(ctx: RouteContext): Reply {
  const scope = commandScope(ctx);
  if (typeof scope !== 'string') return scope;
  const invalid = validateCommands(ctx.json);
  if (invalid) return errorReply(invalid);
  const stored = (arr(ctx.json) ?? []).map((c) => storedCommand(ctx, scope, c as JsonObject));
  ctx.state.commands.set(scope, stored);
  return { status: 200, body: stored };
}

function postCommand(ctx: RouteContext): Reply {
  const scope = commandScope(ctx);
  if (typeof scope !== 'string') return scope;
  const invalid = validateCommand(ctx.json);
  if (invalid) return errorReply(invalid);
  const cmd = storedCommand(ctx, scope, ctx.json as JsonObject);
  const list = (ctx.state.commands.get(scope) ?? []).filter((c) => c.id !== cmd.id);
  const existed = list.length !== (ctx.state.commands.get(scope) ?? []).length;
  ctx.state.commands.set(scope, [...list, cmd]);
  return { status: existed ? 200 : 201, body: cmd };
}

function member(ctx: RouteContext, guildId: string, userId: string): JsonObject {
  return {
    user: {
      id: userId,
      username: userId === ctx.state.cfg.botUserId ? ctx.state.botUser.username : `user-${userId}`,
      discriminator: '0',
      global_name: null,
      avatar: null,
      ...(userId === ctx.state.cfg.botUserId ? { bot: true } : {}),
    },
    nick: null,
    avatar: null,
    roles: [],
    joined_at: '2024-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    permissions: ctx.state.memberPermissionsOf(guildId, userId),
  };
}

/** Every route the fake serves; anything else is 404 `{code:0}`. */
export const ROUTES: readonly RouteDef[] = [
  route('GET', '/gateway/bot', true, none, (ctx) => ({
    status: 200,
    body: {
      url: ctx.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    },
  })),
  route('GET', '/gateway', false, none, (ctx) => ({ status: 200, body: { url: ctx.gatewayUrl } })),
  route('GET', '/users/@me', true, none, (ctx) => ({ status: 200, body: ctx.state.botUser })),
  // Opening a DM: the channel id is `dm-<user id>`, so tests can read `messages('dm-<user>')`.
  route('POST', '/users/@me/channels', true, none, (ctx) => {
    const recipient = str((ctx.json as JsonObject | undefined)?.recipient_id);
    if (!recipient) return errorReply({ status: 400, code: 50035, message: 'Invalid Form Body', errors: { recipient_id: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } } });
    const id = `dm-${recipient}`;
    const api = { id, type: 1, last_message_id: null, flags: 0, recipients: [{ id: recipient, username: `user-${recipient}`, discriminator: '0', avatar: null, global_name: null }] };
    if (!ctx.state.channels.has(id)) ctx.state.channels.set(id, { id, guildId: '', api });
    return { status: 200, body: api };
  }),
  route('GET', '/applications/@me', true, none, (ctx) => ({
    status: 200,
    body: {
      id: ctx.state.cfg.appId,
      name: 'Newshound (fake)',
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      team: null,
      owner: { id: '1', username: 'owner', discriminator: '0', avatar: null, global_name: null },
      bot: ctx.state.botUser,
    },
  })),
  route('GET', '/channels/:channel', true, channelMajor, (ctx) =>
    withChannel(ctx, (id) => ({ status: 200, body: ctx.state.channels.get(id)!.api })),
  ),
  route('GET', '/channels/:channel/messages', true, channelMajor, listMessages),
  route('POST', '/channels/:channel/messages', true, channelMajor, createChannelMessage, true),
  route('GET', '/channels/:channel/messages/:message', true, channelMajor, (ctx) =>
    withMessage(ctx, (m) => ({ status: 200, body: ctx.state.toApi(m) })),
  ),
  route('PATCH', '/channels/:channel/messages/:message', true, channelMajor, (ctx) =>
    withMessage(ctx, (m) => {
      const invalid = validateEdit(m, ctx.json);
      if (invalid) return errorReply(invalid);
      ctx.state.editMessage(m, ctx.json as JsonObject);
      return { status: 200, body: ctx.state.toApi(m) };
    }),
  ),
  route('DELETE', '/channels/:channel/messages/:message', true, channelMajor, (ctx) =>
    withMessage(ctx, (m) => {
      ctx.state.deleteMessage(m);
      return { status: 204 };
    }),
  ),
  route('GET', '/applications/:app/commands', true, appMajor, getCommands),
  route('PUT', '/applications/:app/commands', true, appMajor, putCommands),
  route('POST', '/applications/:app/commands', true, appMajor, postCommand),
  route('GET', '/applications/:app/guilds/:guild/commands', true, guildMajor, getCommands),
  route('PUT', '/applications/:app/guilds/:guild/commands', true, guildMajor, putCommands),
  route('POST', '/applications/:app/guilds/:guild/commands', true, guildMajor, postCommand),
  route('GET', '/guilds/:guild', true, guildMajor, (ctx) => withGuild(ctx, (g) => ({ status: 200, body: g }))),
  route('GET', '/guilds/:guild/channels', true, guildMajor, (ctx) => withGuild(ctx, (g) => ({ status: 200, body: g.channels }))),
  route('GET', '/guilds/:guild/roles', true, guildMajor, (ctx) => withGuild(ctx, (g) => ({ status: 200, body: g.roles }))),
  route('GET', '/guilds/:guild/members/:user', true, guildMajor, (ctx) =>
    withGuild(ctx, () => ({ status: 200, body: member(ctx, ctx.params.guild!, ctx.params.user!) })),
  ),
  callbackRoute,
  ...webhookRoutes,
];

/** Finds the route for a request path (already without `/api/v10`, percent-decoded per segment). */
export function matchRoute(method: string, segments: readonly string[]): { def: RouteDef; params: Record<string, string> } | undefined {
  for (const def of ROUTES) {
    if (def.method !== method || def.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = def.pattern.every((p, i) => {
      const seg = segments[i]!;
      if (p.startsWith(':')) {
        params[p.slice(1)] = seg;
        return seg.length > 0;
      }
      return p === seg;
    });
    if (ok) return { def, params };
  }
  return undefined;
}
