import type { Destination, Platform } from '../core/destination.js';
import type { ArgsOf, OptionSpec } from './options.js';
import type { Reply } from './reply.js';
import type { ChatServices } from './services.js';

/** Who ran a command. `canManage` is decided by the adapter (Discord Manage Channels, Slack admin). */
export interface Invoker {
  platform: Platform;
  userId: string;
  userName?: string;
  canManage: boolean;
}

/** Everything a command may use; commands never import a platform library. */
export interface CommandContext {
  invoker: Invoker;
  /** The channel the command was run in. */
  destination: Destination;
  services: ChatServices;
  /** Every command, and how this platform writes a usage line (for help and error replies). */
  help: { commands: readonly AnyCommand[]; usage(def: AnyCommand): string };
  now(): number;
}

/** An autocomplete suggestion (Discord). */
export interface Choice {
  name: string;
  value: string;
}

/** One chat command: data that every platform renders, plus what it does. */
export interface CommandDefinition<O extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** Words after `/news` that select it: `[]` for search, `['subscribe']`, `['feeds', 'add']`. */
  readonly path: readonly string[];
  /** Other spellings of the last word of `path` (`sub` for `subscribe`). */
  readonly aliases?: readonly string[];
  readonly description: string;
  /** Argument part of the usage line, e.g. `<query>[, <query> ...]`. */
  readonly usage: string;
  /** At most one option may take free text; on Slack it receives the rest of the line. */
  readonly options: O;
  /** `manage`: needs the platform's manage-channel right. */
  readonly access: 'everyone' | 'manage';
  /** Running it makes Newshound post in this channel later: adapters check the bot may post here first. */
  readonly postsInChannel?: boolean;
  execute(args: ArgsOf<O>, ctx: CommandContext): Promise<Reply>;
  autocomplete?(focused: { name: string; value: string }, ctx: CommandContext): Promise<Choice[]>;
}

/** A command definition of any option list (what registries hold). */
export type AnyCommand = CommandDefinition<readonly OptionSpec[]>;

/** The command's name: its path words, or `search` for the bare `/news <query>`. */
export function commandName(def: Pick<AnyCommand, 'path'>): string {
  return def.path.length === 0 ? 'search' : def.path.join(' ');
}

/** Declares a command; the definition is checked at load so a malformed file fails fast. */
export function defineCommand<const O extends readonly OptionSpec[]>(def: CommandDefinition<O>): CommandDefinition<O> {
  const names = new Set<string>();
  for (const o of def.options) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(o.name)) throw new Error(`command ${commandName(def)}: bad option name ${o.name}`);
    if (names.has(o.name)) throw new Error(`command ${commandName(def)}: duplicate option ${o.name}`);
    names.add(o.name);
  }
  if (def.path.some((w) => !/^[a-z][a-z0-9-]{0,31}$/.test(w))) throw new Error(`command ${commandName(def)}: bad path`);
  if (def.description.length < 1 || def.description.length > 100) throw new Error(`command ${commandName(def)}: description must be 1-100 characters`);
  return def;
}
