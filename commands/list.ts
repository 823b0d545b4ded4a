import { defineCommand } from '../src/chat/command.js';
import type { Reply } from '../src/chat/reply.js';
import { formatDeliveryMode } from '../src/core/schedule.js';

/** `list`: this channel's topics: who added each and when, and how many alerts it sent in 7 days. */
export default defineCommand({
  path: ['list'],
  description: 'Show the topics this channel is subscribed to',
  usage: '',
  options: [],
  access: 'everyone',
  async execute(_args, ctx): Promise<Reply> {
    const [subs, counts] = await Promise.all([ctx.services.subscriptions.list(ctx.destination), ctx.services.stats.lastWeek(ctx.destination)]);
    if (subs.length === 0) {
      const subscribe = ctx.help.commands.find((c) => c.path[0] === 'subscribe');
      return { visibility: 'private', blocks: [{ kind: 'text', text: `This channel has no topics yet. Add one with ${subscribe ? ctx.help.usage(subscribe) : 'subscribe'}.` }] };
    }
    const items = subs.map((s) => {
      const when = new Date(s.addedAt).toISOString().slice(0, 10);
      const alerts = counts.get(s.topicId) ?? 0;
      const state = s.active ? `${alerts} alert${alerts === 1 ? '' : 's'} in 7 days` : `paused: ${s.inactiveReason ?? 'stopped'} (subscribe again to resume)`;
      const mode = s.mode.kind === 'instant' ? '' : `, ${formatDeliveryMode(s.mode)} digest`;
      return `#${s.number} ${s.query}: added by ${s.addedByName ?? s.addedBy} on ${when}${mode}, ${state}`;
    });
    return { visibility: 'private', title: `Topics of this channel (${subs.length} of ${ctx.services.limits.topicsPerChannel})`, blocks: [{ kind: 'list', items }] };
  },
});
