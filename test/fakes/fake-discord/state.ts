/** The fake's model of Discord: guilds, channels, messages, commands, interactions, members. */
import type { LiveInteraction } from './interactions.js';
import type { FakeDiscordGuildSpec, FakeDiscordStats, FakeMessage } from './types.js';
import { wouldPing, type ApiError } from './validate.js';
import { arr, isRecord, num, snowflake, str, type Conditions, type JsonObject } from './util.js';

/** What a route handler answers; the router adds rate-limit headers and serialises it. */
export interface Reply {
  status: number;
  body?: unknown;
}

/** A Discord JSON error body for a validation refusal. */
export function errorReply(e: ApiError): Reply {
  return { status: e.status, body: { message: e.message, code: e.code, ...(e.errors ? { errors: e.errors } : {}) } };
}

/** A Discord JSON error body `{message, code}`. */
export function discordError(status: number, code: number, message: string): Reply {
  return { status, body: { message, code } };
}

/** Canned errors (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes). */
export const UNKNOWN_CHANNEL = discordError(404, 10003, 'Unknown Channel');
export const UNKNOWN_MESSAGE = discordError(404, 10008, 'Unknown Message');
export const UNKNOWN_GUILD = discordError(404, 10004, 'Unknown Guild');
export const UNKNOWN_WEBHOOK = discordError(404, 10015, 'Unknown Webhook');
export const UNKNOWN_INTERACTION = discordError(404, 10062, 'Unknown interaction');
export const ALREADY_ACKNOWLEDGED = discordError(400, 40060, 'Interaction has already been acknowledged.');
export const MISSING_ACCESS = discordError(403, 50001, 'Missing Access');

/** VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY, ADD_REACTIONS, USE_EXTERNAL_EMOJIS, USE_APPLICATION_COMMANDS, SEND_MESSAGES_IN_THREADS. */
export const DEFAULT_PERMISSIONS = String(
  (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 6n) | (1n << 18n) | (1n << 31n) | (1n << 38n),
);

/** Discord's nonce window for `enforce_nonce` (https://discord.com/developers/docs/resources/message#create-message). */
const NONCE_WINDOW_MS = 5 * 60 * 1000;

interface ChannelInfo {
  id: string;
  guildId: string;
  api: JsonObject;
}

/** The options {@link DiscordState} needs. */
export interface StateConfig {
  appId: string;
  botUserId: string;
  interactionDeadlineMs: number;
  guilds: FakeDiscordGuildSpec[];
}

/** Everything the REST routes read and change. */
export class DiscordState {
  readonly channels = new Map<string, ChannelInfo>();
  readonly guilds = new Map<string, JsonObject>();
  /** Visible messages per channel, oldest first. */
  readonly visible = new Map<string, FakeMessage[]>();
  readonly #nonces = new Map<string, { message: FakeMessage; at: number }>();
  readonly commands = new Map<string, JsonObject[]>();
  readonly interactionsById = new Map<string, LiveInteraction>();
  readonly interactionsByToken = new Map<string, LiveInteraction>();
  readonly memberPermissions = new Map<string, string>();
  readonly botUser: JsonObject;

  constructor(
    readonly cfg: StateConfig,
    readonly stats: FakeDiscordStats,
    readonly conditions: Conditions,
  ) {
    this.botUser = {
      id: cfg.botUserId,
      username: 'newshound-fake',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      flags: 0,
      verified: true,
      mfa_enabled: false,
    };
    for (const g of cfg.guilds) {
      const channels = g.channels.map((c, position) => ({
        id: c.id,
        type: c.type ?? 0,
        name: c.name ?? `channel-${c.id}`,
        guild_id: g.id,
        position,
        permission_overwrites: [],
        parent_id: null,
        topic: null,
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: null,
        flags: 0,
      }));
      for (const c of channels) this.channels.set(c.id, { id: c.id, guildId: g.id, api: c });
      this.guilds.set(g.id, {
        id: g.id,
        name: g.name ?? `guild-${g.id}`,
        icon: null,
        splash: null,
        discovery_splash: null,
        owner_id: '1',
        afk_channel_id: null,
        afk_timeout: 300,
        verification_level: 0,
        default_message_notifications: 0,
        explicit_content_filter: 0,
        mfa_level: 0,
        nsfw_level: 0,
        premium_tier: 0,
        premium_progress_bar_enabled: false,
        system_channel_id: null,
        system_channel_flags: 0,
        rules_channel_id: null,
        public_updates_channel_id: null,
        preferred_locale: 'en-US',
        features: [],
        roles: [
          {
            id: g.id,
            name: '@everyone',
            permissions: DEFAULT_PERMISSIONS,
            position: 0,
            color: 0,
            hoist: false,
            managed: false,
            mentionable: false,
            icon: null,
            unicode_emoji: null,
            flags: 0,
          },
        ],
        emojis: [],
        stickers: [],
        channels,
        threads: [],
        members: [],
        presences: [],
        voice_states: [],
        stage_instances: [],
        guild_scheduled_events: [],
        soundboard_sounds: [],
        member_count: 2,
        large: false,
        lazy: true,
        unavailable: false,
        joined_at: '2024-01-01T00:00:00.000Z',
      });
    }
  }

  /** GUILD_CREATE payloads, one per configured guild. */
  guildCreates(): JsonObject[] {
    return [...this.guilds.values()];
  }

  memberPermissionsOf(guildId: string, userId: string): string {
    return this.memberPermissions.get(`${guildId}:${userId}`) ?? DEFAULT_PERMISSIONS;
  }

  /** Returns the message `enforce_nonce` points at, if it is within the window. */
  nonceHit(channelId: string, body: JsonObject): FakeMessage | undefined {
    if (body.enforce_nonce !== true || body.nonce === undefined || body.nonce === null) return undefined;
    const hit = this.#nonces.get(`${channelId}:${String(body.nonce)}`);
    if (!hit || Date.now() - hit.at > NONCE_WINDOW_MS) return undefined;
    return hit.message;
  }

  /**
   * Stores a new message (validated already). Ephemeral ones are kept out of the channel and ping
   * nobody. Counts a mention ping unless `deferred` (a loading reply pings on its first edit instead).
   */
  createMessage(channelId: string, body: JsonObject, opts: { interactionId?: string; deferred?: boolean } = {}): FakeMessage {
    const flags = (num(body.flags) ?? 0) | (opts.deferred ? 128 : 0);
    const m: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      content: str(body.content) ?? '',
      embeds: arr(body.embeds) ?? [],
      components: arr(body.components) ?? [],
      nonce: typeof body.nonce === 'string' || typeof body.nonce === 'number' ? body.nonce : null,
      allowed_mentions: body.allowed_mentions ?? undefined,
      edited_timestamp: null,
      timestamp: new Date().toISOString(),
      flags,
      interaction_id: opts.interactionId ?? null,
    };
    if ((flags & 64) === 0) {
      const list = this.visible.get(channelId) ?? [];
      list.push(m);
      this.visible.set(channelId, list);
    }
    if (m.nonce !== null) this.#nonces.set(`${channelId}:${String(m.nonce)}`, { message: m, at: Date.now() });
    if (!opts.deferred && (flags & 64) === 0 && wouldPing(body)) this.stats.mentionPings++;
    this.conditions.changed();
    return m;
  }

  /** Applies an edit (validated already). The first edit of a deferred reply is its real send. */
  editMessage(m: FakeMessage, body: JsonObject): void {
    if ('content' in body) m.content = str(body.content) ?? '';
    if ('embeds' in body) m.embeds = arr(body.embeds) ?? [];
    if ('components' in body) m.components = arr(body.components) ?? [];
    if ('allowed_mentions' in body) m.allowed_mentions = body.allowed_mentions ?? undefined;
    if ('flags' in body) m.flags = ((num(body.flags) ?? 0) & ~64) | (m.flags & 64);
    if ((m.flags & 128) !== 0) {
      m.flags &= ~128;
      const pings = wouldPing({ content: m.content, embeds: m.embeds, allowed_mentions: m.allowed_mentions });
      if ((m.flags & 64) === 0 && pings) this.stats.mentionPings++;
    } else m.edited_timestamp = new Date().toISOString();
    this.conditions.changed();
  }

  findVisible(channelId: string, messageId: string): FakeMessage | undefined {
    return this.visible.get(channelId)?.find((m) => m.id === messageId);
  }

  deleteMessage(m: FakeMessage): void {
    const list = this.visible.get(m.channel_id);
    const i = list?.indexOf(m) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    this.conditions.changed();
  }

  /** A message object as the API returns it. */
  toApi(m: FakeMessage): JsonObject {
    const fromInteraction = m.interaction_id !== null;
    return {
      id: m.id,
      channel_id: m.channel_id,
      type: fromInteraction ? 20 : 0,
      content: m.content,
      embeds: m.embeds.map((e) => (isRecord(e) ? { type: 'rich', ...e } : e)),
      components: m.components,
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: m.timestamp,
      edited_timestamp: m.edited_timestamp,
      flags: m.flags,
      author: this.botUser,
      ...(m.nonce !== null ? { nonce: m.nonce } : {}),
      ...(fromInteraction ? { webhook_id: this.cfg.appId, application_id: this.cfg.appId } : {}),
    };
  }
}
