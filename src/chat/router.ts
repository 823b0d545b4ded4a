import type { AnyCommand } from './command.js';
import { UserError } from './errors.js';

/** A command picked from a line of text, with its arguments by option name. */
export interface Routed {
  command: AnyCommand;
  args: Record<string, string>;
}

/**
 * Routes the text after `/news` (Slack, console) to a command by its first words: the longest
 * matching path wins (`feeds add <url>` before a search for "feeds"), aliases count, and what
 * remains fills the command's options in order: one word each, the last one the rest of the line. Anything that is not a command word is a search.
 * An empty line routes to `help`.
 */
export function routeText(commands: readonly AnyCommand[], text: string): Routed {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) {
    const help = commands.find((c) => c.path.length === 1 && c.path[0] === 'help');
    if (help) return { command: help, args: {} };
  }
  let best: { command: AnyCommand; used: number } | undefined;
  for (const command of commands) {
    const n = command.path.length;
    if (n === 0 || n > words.length) continue;
    const head = words.slice(0, n).map((w) => w.toLowerCase());
    const lastOk = head[n - 1] === command.path[n - 1] || (command.aliases ?? []).includes(head[n - 1] ?? '');
    if (lastOk && head.slice(0, n - 1).every((w, i) => w === command.path[i]) && (best === undefined || n > best.used)) {
      best = { command, used: n };
    }
  }
  const chosen = best ?? { command: commands.find((c) => c.path.length === 0), used: 0 };
  if (chosen.command === undefined) throw new UserError('unknown-command', 'Unknown command.');
  const rest = text.trim().split(/\s+/).slice(chosen.used);
  const options = chosen.command.options;
  const args: Record<string, string> = {};
  if (options.length === 0 && rest.length > 0) {
    throw new UserError('unexpected-text', `"${chosen.command.path.join(' ')}" takes no arguments.`, { showUsage: true });
  }
  // Every option but the last takes one word; the last takes the rest of the line.
  options.forEach((o, i) => {
    const value = i === options.length - 1 ? rest.slice(i).join(' ') : rest[i];
    if (value !== undefined && value !== '') args[o.name] = value;
  });
  return { command: chosen.command, args };
}
