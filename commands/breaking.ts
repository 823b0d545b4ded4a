import { defineCommand } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { textReply } from '../src/chat/reply.js';

/** Accepts `<@&123>` (Discord role), `<!subteam^S123|@group>` / `<!subteam^S123>` (Slack user group), or a bare id. */
export function parseMentionTarget(text: string): string | undefined {
  const t = text.trim();
  const discord = /^<@&(\d{1,30})>$/.exec(t);
  if (discord) return discord[1];
  const slack = /^<!subteam\^([A-Z0-9]{2,30})(\|[^>]*)?>$/i.exec(t);
  if (slack) return slack[1];
  return /^[A-Za-z0-9]{2,30}$/.test(t) ? t : undefined;
}

/**
 * `breaking <@role|@group> [outlets] [minutes]` / `breaking off`: mention a role (Discord) or
 * user group (Slack) only when at least N outlets report the same story within M minutes of
 * the first alert; everything else posts without any mention.
 */
export default defineCommand({
  path: ['breaking'],
  description: 'Mention a role only when many outlets report the same story quickly',
  usage: '<@role|@group> [outlets, default 3] [minutes, default 60] | off',
  options: [
    option.string('mention', 'The role or user group to mention, or off', { required: true, maxLength: 100 }),
    option.integer('outlets', 'How many different outlets make it breaking (default 3)', { min: 2, max: 20 }),
    option.integer('minutes', 'Within how many minutes of the first alert (default 60)', { min: 1, max: 1440 }),
  ],
  access: 'manage',
  async execute({ mention, outlets, minutes }, ctx) {
    if (/^(off|none|no)$/i.test(mention.trim())) {
      await ctx.services.channels.update(ctx.destination, { breaking: null });
      return textReply('Breaking-news mentions are off: alerts never mention anyone.');
    }
    const target = parseMentionTarget(mention);
    if (target === undefined) throw new UserError('bad-mention', 'Mention a role (Discord) or a user group (Slack), e.g. @breaking-news.', { showUsage: true });
    const rule = { mention: target, outlets: outlets ?? 3, minutes: minutes ?? 60 };
    await ctx.services.channels.update(ctx.destination, { breaking: rule });
    return textReply(`When ${rule.outlets} or more outlets report the same story within ${rule.minutes} minutes, the alert mentions ${mention.trim()}. Nothing else mentions anyone.`);
  },
});
