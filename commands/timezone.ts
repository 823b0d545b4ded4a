import { defineCommand } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { textReply } from '../src/chat/reply.js';
import { isTimeZone } from '../src/core/schedule.js';

/** `timezone <zone>`: the channel's time zone for daily digests and quiet hours (IANA, e.g. Europe/Berlin). */
export default defineCommand({
  path: ['timezone'],
  description: "Set the channel's time zone for digests and quiet hours",
  usage: '<zone, e.g. Europe/Berlin>',
  options: [option.string('zone', 'An IANA time zone such as Europe/Berlin or America/New_York', { required: true, maxLength: 64 })],
  access: 'manage',
  async execute({ zone }, ctx) {
    const name = zone.trim();
    if (!isTimeZone(name)) throw new UserError('bad-zone', `"${name}" is not a time zone I know. Use a name like Europe/Berlin, America/New_York or UTC.`);
    await ctx.services.channels.update(ctx.destination, { timeZone: name });
    await ctx.services.digests.sync(ctx.destination);
    return textReply(`This channel's time zone is now ${name}.`);
  },
});
