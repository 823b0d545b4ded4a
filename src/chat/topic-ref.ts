import type { CommandContext } from './command.js';
import { UserError } from './errors.js';
import { parseUserQuery, topicOf } from './query.js';
import type { Subscription } from '../storage/subscription-store.js';

/**
 * The channel's subscription a user means: `#2` / `2` (its number) or its query (any spelling
 * of the same topic). A user error that points at `list` when there is none.
 */
export async function findSubscription(ref: string, ctx: CommandContext): Promise<Subscription> {
  const subs = await ctx.services.subscriptions.list(ctx.destination);
  const number = /^#?(\d{1,9})$/.exec(ref.trim());
  const sub = number ? subs.find((s) => s.number === Number(number[1])) : subs.find((s) => s.topicId === topicOf(parseUserQuery(ref)).id);
  if (sub === undefined) {
    const list = ctx.help.commands.find((c) => c.path[0] === 'list');
    throw new UserError('not-subscribed', `This channel has no topic ${number ? `#${number[1]}` : `"${ref.trim()}"`}. ${list ? ctx.help.usage(list) : 'list'} shows its topics.`);
  }
  return sub;
}

/** Autocomplete choices: the channel's topics whose query or number contains what was typed. */
export async function topicChoices(typed: string, ctx: CommandContext) {
  const t = typed.trim().toLowerCase();
  const subs = await ctx.services.subscriptions.list(ctx.destination);
  return subs
    .filter((s) => t === '' || s.query.toLowerCase().includes(t) || `#${s.number}`.startsWith(t))
    .slice(0, 25)
    .map((s) => ({ name: `#${s.number} ${s.query}`.slice(0, 100), value: String(s.number) }));
}
