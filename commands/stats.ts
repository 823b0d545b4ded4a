import { defineCommand } from '../src/chat/command.js';
import { option } from '../src/chat/options.js';
import type { Reply } from '../src/chat/reply.js';
import { findSubscription, topicChoices } from '../src/chat/topic-ref.js';
import { workspaceKey } from '../src/core/destination.js';
import { sparkline } from '../src/core/schedule.js';

const TOP_SOURCES = 5;

/** `stats [topic]`: alerts per day over 7 days (with a small bar chart), top sources, muted sources, failing feeds. */
export default defineCommand({
  path: ['stats'],
  description: "This channel's alerts over the last 7 days",
  usage: '[id|query]',
  options: [option.string('topic', 'One topic (its number or query); all when left out', { autocomplete: true, maxLength: 256 })],
  access: 'everyone',
  async execute({ topic }, ctx): Promise<Reply> {
    const sub = topic !== undefined ? await findSubscription(topic, ctx) : undefined;
    const subs = sub ? [sub] : await ctx.services.subscriptions.list(ctx.destination);
    const [daily, sources, muted, failing] = await Promise.all([
      ctx.services.stats.daily(ctx.destination, sub?.topicId),
      ctx.services.stats.topSources(ctx.destination, TOP_SOURCES),
      ctx.services.subscriptions.mutedSources(subs.map((s) => s.key)),
      ctx.services.feeds.failing(workspaceKey(ctx.destination)),
    ]);
    const today = ctx.now();
    const days = daily.map((n, i) => {
      const day = new Date(today - (daily.length - 1 - i) * 86_400_000).toISOString().slice(5, 10);
      return `${day}: ${n}`;
    });
    const total = daily.reduce((a, b) => a + b, 0);
    const mutedLines = subs.flatMap((s) => [...(muted.get(s.key) ?? [])].map((src) => `${src} (muted for #${s.number} ${s.query})`));
    const items = [
      `Alerts per day ${sparkline(daily)}  ${days.join(' · ')}  (total ${total}${sub ? ` for #${sub.number} ${sub.query}` : ''})`,
      `Top sources: ${sources.length ? sources.map(([name, n]) => `${name} ${n}`).join(', ') : 'none yet'}`,
      `Muted sources: ${mutedLines.length ? mutedLines.join(', ') : 'none'}`,
      `Failing feeds: ${failing.length ? failing.map((f) => `${f.name} (${f.disabledAt !== undefined ? 'disabled' : `${f.failures} failures`})`).join(', ') : 'none'}`,
    ];
    return {
      visibility: 'private',
      title: 'Stats of this channel, last 7 days',
      blocks: [{ kind: 'list', items }],
      chart: { name: 'alerts-7d', caption: `Alerts per day, ${days[0]?.slice(0, 5)} to ${days.at(-1)?.slice(0, 5)}${sub ? ` (#${sub.number})` : ''}`, values: daily },
    };
  },
  async autocomplete({ value }, ctx) {
    return await topicChoices(value, ctx);
  },
});
