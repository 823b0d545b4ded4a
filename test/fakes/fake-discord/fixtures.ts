/**
 * INTERACTION_CREATE payloads shaped like Discord's
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
 * `application_id` is left out unless given: {@link FakeDiscord.interact} fills in the fake's.
 */
import { snowflake } from './util.js';

/** The member permissions used when none are given: every permission Discord's example member has. */
export const ALL_MEMBER_PERMISSIONS = '2248473465835073';

/** Where and by whom an interaction is invoked. Every field has a default. */
export interface InteractionContext {
  /** Default: a fresh snowflake. */
  id?: string;
  /** Default: `tok-<id>`. */
  token?: string;
  applicationId?: string;
  /** Default `'100'`; ignored when `dm`. */
  guildId?: string;
  /** Default `'200'`. */
  channelId?: string;
  /** Default `{ id: '222', username: 'alice' }`. */
  user?: { id: string; username?: string };
  /** The invoking member's permissions bitfield (e.g. without MANAGE_CHANNELS, 16); default {@link ALL_MEMBER_PERMISSIONS}. */
  permissions?: string;
  /** The bot's permissions in the channel (`app_permissions`); default {@link ALL_MEMBER_PERMISSIONS}. */
  appPermissions?: string;
  /** A DM with the bot: `user` instead of `member`, no `guild_id`, a type 1 channel. */
  dm?: boolean;
  /** Default `'en-US'`. */
  locale?: string;
}

/** An option of a chat-input command, as Discord sends it (`focused` only in autocomplete). */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
  focused?: boolean;
}

function base(type: number, o: InteractionContext): Record<string, unknown> {
  const id = o.id ?? snowflake();
  const user = {
    id: o.user?.id ?? '222',
    username: o.user?.username ?? 'alice',
    discriminator: '0',
    global_name: null,
    avatar: null,
  };
  const channelId = o.channelId ?? '200';
  const guildId = o.guildId ?? '100';
  const where = o.dm
    ? {
        user,
        channel_id: channelId,
        channel: { id: channelId, type: 1, recipients: [user], last_message_id: null, flags: 0 },
        authorizing_integration_owners: { '1': user.id },
        context: 1,
      }
    : {
        guild_id: guildId,
        guild: { id: guildId, locale: 'en-US', features: [] },
        guild_locale: 'en-US',
        channel_id: channelId,
        channel: { id: channelId, type: 0, guild_id: guildId, name: `channel-${channelId}`, permission_overwrites: [], position: 0, flags: 0 },
        member: {
          user,
          roles: [],
          joined_at: '2024-01-01T00:00:00.000Z',
          deaf: false,
          mute: false,
          flags: 0,
          pending: false,
          nick: null,
          avatar: null,
          premium_since: null,
          communication_disabled_until: null,
          permissions: o.permissions ?? ALL_MEMBER_PERMISSIONS,
        },
        authorizing_integration_owners: { '0': guildId },
        context: 0,
      };
  return {
    id,
    ...(o.applicationId !== undefined ? { application_id: o.applicationId } : {}),
    type,
    token: o.token ?? `tok-${id}`,
    version: 1,
    ...where,
    app_permissions: o.appPermissions ?? ALL_MEMBER_PERMISSIONS,
    locale: o.locale ?? 'en-US',
    entitlements: [],
    attachment_size_limit: 10_485_760,
  };
}

/** A slash command (interaction type 2, command type 1). */
export function chatInputInteraction(o: InteractionContext & { name: string; options?: CommandOption[]; commandId?: string }): Record<string, unknown> {
  return {
    ...base(2, o),
    data: { id: o.commandId ?? '9000', name: o.name, type: 1, ...(o.options ? { options: o.options } : {}) },
  };
}

/**
 * An autocomplete request (interaction type 4). `options` must include the option being typed,
 * marked `focused: true` (pass `focused` to add a string option for it).
 */
export function autocompleteInteraction(
  o: InteractionContext & { name: string; options?: CommandOption[]; focused?: { name: string; value: string }; commandId?: string },
): Record<string, unknown> {
  const options = [...(o.options ?? [])];
  if (o.focused) options.push({ name: o.focused.name, type: 3, value: o.focused.value, focused: true });
  return { ...base(4, o), data: { id: o.commandId ?? '9000', name: o.name, type: 1, options } };
}

/**
 * A message component interaction (type 3): a button by default (`componentType` 2); pass
 * `values` for a select menu. The attached message defaults to a bot message with `messageId`.
 */
export function componentInteraction(
  o: InteractionContext & { customId: string; componentType?: number; values?: string[]; messageId?: string; message?: Record<string, unknown> },
): Record<string, unknown> {
  const b = base(3, o);
  const message = o.message ?? {
    id: o.messageId ?? snowflake(),
    channel_id: b.channel_id,
    type: 0,
    content: '',
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
    author: { id: '999', username: 'newshound-fake', discriminator: '0', avatar: null, global_name: null, bot: true },
  };
  return {
    ...b,
    message,
    data: { custom_id: o.customId, component_type: o.componentType ?? 2, ...(o.values ? { values: o.values } : {}) },
  };
}

/** A modal submission (type 5): each field becomes a text input in its own action row. */
export function modalSubmitInteraction(o: InteractionContext & { customId: string; fields: Record<string, string> }): Record<string, unknown> {
  return {
    ...base(5, o),
    data: {
      custom_id: o.customId,
      components: Object.entries(o.fields).map(([customId, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: customId, value }],
      })),
    },
  };
}
