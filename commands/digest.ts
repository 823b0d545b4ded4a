import { defineCommand } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { textReply } from '../src/chat/reply.js';
import { findSubscription, topicChoices } from '../src/chat/topic-ref.js';
import { formatDeliveryMode, parseDeliveryMode } from '../src/core/schedule.js';

/**
 * `digest <id> hourly|daily [HH:MM]|instant`: a topic's stories as one message per hour or per
 * day (at a time of day in the channel's time zone), ranked by how many outlets covered them,
 * instead of one alert each. A digest never repeats a story already sent here.
 */
export default defineCommand({
  path: ['digest'],
  description: 'Get a topic as an hourly or daily digest instead of instant alerts',
  usage: '<id> hourly|daily [HH:MM]|instant',
  options: [
    option.string('topic', 'The topic: its number from list, or its query', { required: true, autocomplete: true, maxLength: 256 }),
    option.string('mode', 'hourly, daily 08:00, or instant', { required: true, maxLength: 20 }),
  ],
  access: 'manage',
  async execute({ topic, mode }, ctx) {
    const parsed = parseDeliveryMode(mode);
    if (parsed === undefined) throw new UserError('bad-mode', 'The mode is hourly, daily HH:MM (24-hour clock, e.g. daily 08:00) or instant.', { showUsage: true });
    const sub = await findSubscription(topic, ctx);
    await ctx.services.subscriptions.setMode(ctx.destination, sub.topicId, parsed);
    await ctx.services.digests.sync(ctx.destination);
    const { timeZone } = await ctx.services.channels.settings(ctx.destination);
    const when =
      parsed.kind === 'instant'
        ? 'every new story as its own alert'
        : parsed.kind === 'hourly'
          ? 'one digest at the start of every hour'
          : `one digest every day at ${parsed.at} (${timeZone}; change it with timezone <zone>)`;
    return textReply(`#${sub.number} ${sub.query} is now ${formatDeliveryMode(parsed)}: ${when}.`);
  },
  async autocomplete({ name, value }, ctx) {
    if (name !== 'topic') return ['instant', 'hourly', 'daily 08:00', 'daily 18:00'].filter((m) => m.startsWith(value.trim().toLowerCase())).map((m) => ({ name: m, value: m }));
    return await topicChoices(value, ctx);
  },
});
