import type { AnyCommand } from '../../chat/command.js';
import type { OptionSpec } from '../../chat/options.js';

/** `/news query:<text>` searches; `/news` alone shows help. */
export const SEARCH_COMMAND = 'news';
/** Subscription and feed management, visible to members with Manage Channels by default. */
export const MANAGE_COMMAND = 'news-alerts';
/** Discord's Manage Channels permission bit (1 << 4). https://discord.com/developers/docs/topics/permissions */
export const MANAGE_CHANNELS = '16';

const OPTION_TYPE = { string: 3, integer: 4 } as const;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const GUILD_CONTEXT = 0;

const GROUP_DESCRIPTIONS: Record<string, string> = { feeds: "This server's own feeds" };

function optionJson(o: OptionSpec) {
  return {
    type: OPTION_TYPE[o.kind],
    name: o.name,
    description: o.description.slice(0, 100),
    required: o.required,
    ...(o.autocomplete ? { autocomplete: true } : {}),
    ...(o.maxLength !== undefined ? { max_length: Math.min(o.maxLength, 6000) } : {}),
    ...(o.min !== undefined ? { min_value: o.min } : {}),
    ...(o.max !== undefined ? { max_value: o.max } : {}),
  };
}

/** Discord requires required options before optional ones. */
function optionsJson(options: readonly OptionSpec[]) {
  return [...options].sort((a, b) => Number(b.required) - Number(a.required)).map(optionJson);
}

/**
 * The application commands for Discord, from the same definitions every platform uses.
 * Discord cannot mix a free-text option with subcommands, so search is `/news query:` and
 * management lives in `/news-alerts <subcommand>` (feeds as a subcommand group).
 */
export function discordCommandsJson(commands: readonly AnyCommand[]) {
  const search = commands.find((c) => c.path.length === 0);
  const manage: Array<Record<string, unknown>> = [];
  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const c of commands) {
    if (c.path.length === 1) {
      manage.push({ type: SUB_COMMAND, name: c.path[0], description: c.description, options: optionsJson(c.options) });
    } else if (c.path.length === 2) {
      const group = groups.get(c.path[0]!) ?? [];
      group.push({ type: SUB_COMMAND, name: c.path[1], description: c.description, options: optionsJson(c.options) });
      groups.set(c.path[0]!, group);
    }
  }
  for (const [name, subs] of groups) manage.push({ type: SUB_COMMAND_GROUP, name, description: GROUP_DESCRIPTIONS[name] ?? name, options: subs });
  return [
    {
      name: SEARCH_COMMAND,
      type: 1,
      description: `${search?.description ?? 'Search the news'} (no query: help)`.slice(0, 100),
      contexts: [GUILD_CONTEXT],
      options: search ? search.options.map((o) => ({ ...optionJson(o), required: false })) : [],
    },
    {
      name: MANAGE_COMMAND,
      type: 1,
      description: 'Manage the news alerts of this channel',
      default_member_permissions: MANAGE_CHANNELS,
      contexts: [GUILD_CONTEXT],
      options: manage,
    },
  ];
}

/** How a command is typed on Discord, for help and error replies. */
export function discordUsage(def: AnyCommand): string {
  const args = def.options.map((o) => (o.required ? `${o.name}:<${o.name}>` : `[${o.name}:<${o.name}>]`)).join(' ');
  const head = def.path.length === 0 ? `/${SEARCH_COMMAND}` : `/${MANAGE_COMMAND} ${def.path.join(' ')}`;
  return args ? `${head} ${args}` : head;
}

/** The definition an invocation refers to: `/news` (search or help) or `/news-alerts [group] sub`. */
export function resolveDiscordCommand(
  commands: readonly AnyCommand[],
  name: string,
  group: string | null,
  sub: string | null,
  hasQuery: boolean,
): AnyCommand | undefined {
  if (name === SEARCH_COMMAND) return hasQuery ? commands.find((c) => c.path.length === 0) : commands.find((c) => c.path[0] === 'help');
  if (name !== MANAGE_COMMAND || sub === null) return undefined;
  const path = group ? [group, sub] : [sub];
  return commands.find((c) => c.path.length === path.length && c.path.every((w, i) => w === path[i]));
}
