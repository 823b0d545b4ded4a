import { defineCommand } from '../src/chat/command.js';
import { option } from '../src/chat/options.js';
import { textReply } from '../src/chat/reply.js';
import { findSubscription, topicChoices } from '../src/chat/topic-ref.js';

/** `unsubscribe <query|id>`: stop a topic's alerts in this channel (by its query or its #number). */
export default defineCommand({
  path: ['unsubscribe'],
  aliases: ['unsub'],
  description: 'Stop the alerts of a topic in this channel',
  usage: '<query|id>',
  options: [option.string('topic', 'The query, or its number from list', { required: true, autocomplete: true, maxLength: 256 })],
  access: 'manage',
  async execute({ topic }, ctx) {
    const sub = await findSubscription(topic, ctx);
    await ctx.services.subscriptions.unsubscribe(ctx.destination, sub.topicId);
    if (sub.mode.kind !== 'instant') await ctx.services.digests.sync(ctx.destination);
    return textReply(`Unsubscribed #${sub.number} ${sub.query}. No more alerts for it here.`);
  },
  async autocomplete({ value }, ctx) {
    return await topicChoices(value, ctx);
  },
});
