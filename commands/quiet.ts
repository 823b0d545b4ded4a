import { defineCommand } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { textReply } from '../src/chat/reply.js';
import { isTimeZone, parseQuietHours } from '../src/core/schedule.js';

/**
 * `quiet 22:00-07:00 [zone]` / `quiet off`: alerts that arrive in the window are held and sent
 * as one catch-up digest when it ends.
 */
export default defineCommand({
  path: ['quiet'],
  description: 'Hold alerts during quiet hours and send them as one message after',
  usage: '<HH:MM-HH:MM> [zone] | off',
  options: [option.string('hours', 'e.g. 22:00-07:00 Europe/Berlin, or off', { required: true, maxLength: 100 })],
  access: 'manage',
  async execute({ hours }, ctx) {
    const text = hours.trim();
    if (/^(off|none|no)$/i.test(text)) {
      await ctx.services.channels.update(ctx.destination, { quiet: null });
      return textReply('Quiet hours are off: alerts arrive as they come.');
    }
    const [window = '', zone] = text.split(/\s+/);
    const quiet = parseQuietHours(window);
    if (quiet === undefined) throw new UserError('bad-hours', 'Give the window as two times, e.g. 22:00-07:00 (24-hour clock).', { showUsage: true });
    if (zone !== undefined && !isTimeZone(zone)) throw new UserError('bad-zone', `"${zone}" is not a time zone I know. Use a name like Europe/Berlin or UTC.`);
    const settings = await ctx.services.channels.update(ctx.destination, { quiet, ...(zone !== undefined ? { timeZone: zone } : {}) });
    if (zone !== undefined) await ctx.services.digests.sync(ctx.destination);
    return textReply(`Quiet hours ${quiet.start}-${quiet.end} (${settings.timeZone}): alerts in that window are held and sent as one message when it ends.`);
  },
});
