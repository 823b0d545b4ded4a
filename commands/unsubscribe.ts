import { defineCommand, type Choice } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { parseUserQuery, topicOf } from '../src/chat/query.js';
import { textReply } from '../src/chat/reply.js';

/** `unsubscribe <query|id>`: stop a topic's alerts in this channel (by its query or its #number). */
export default defineCommand({
  path: ['unsubscribe'],
  aliases: ['unsub'],
  description: 'Stop the alerts of a topic in this channel',
  usage: '<query|id>',
  options: [option.string('topic', 'The query, or its number from list', { required: true, autocomplete: true, maxLength: 256 })],
  access: 'manage',
  async execute({ topic }, ctx) {
    const subs = await ctx.services.subscriptions.list(ctx.destination);
    const number = /^#?(\d{1,9})$/.exec(topic.trim());
    const sub = number
      ? subs.find((s) => s.number === Number(number[1]))
      : subs.find((s) => s.topicId === topicOf(parseUserQuery(topic)).id);
    if (sub === undefined) {
      throw new UserError('not-subscribed', `This channel has no topic ${number ? `#${number[1]}` : `"${topic.trim()}"`}. ${ctx.help.usage(ctx.help.commands.find((c) => c.path[0] === 'list')!)} shows its topics.`);
    }
    await ctx.services.subscriptions.unsubscribe(ctx.destination, sub.topicId);
    return textReply(`Unsubscribed #${sub.number} ${sub.query}. No more alerts for it here.`);
  },
  async autocomplete({ value }, ctx): Promise<Choice[]> {
    const typed = value.trim().toLowerCase();
    const subs = await ctx.services.subscriptions.list(ctx.destination);
    return subs
      .filter((s) => typed === '' || s.query.toLowerCase().includes(typed) || `#${s.number}`.startsWith(typed))
      .slice(0, 25)
      .map((s) => ({ name: `#${s.number} ${s.query}`.slice(0, 100), value: String(s.number) }));
  },
});
