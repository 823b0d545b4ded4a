import { defineCommand } from '../src/chat/command.js';
import { storyCard } from '../src/chat/cards.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { parseUserQuery, topicOf } from '../src/chat/query.js';
import type { Reply, ReplyBlock } from '../src/chat/reply.js';
import { workspaceKey } from '../src/core/destination.js';
import type { ParsedQuery } from '../src/core/query/ast.js';
import { splitTopicList } from '../src/core/query/topic-list.js';
import { SEARCH_WINDOW_MS } from './search.js';

/** At most this many topics in one `subscribe`. */
const MAX_TOPICS_PER_COMMAND = 10;
const PREVIEW_STORIES = 3;

/**
 * `subscribe <query>[, <query> ...]`: alerts for new matching stories in this channel. Replies
 * with a preview of recent matches (shown only to the user, never posted: no backfill flood).
 */
export default defineCommand({
  path: ['subscribe'],
  aliases: ['sub'],
  description: 'Get an alert in this channel for every new story that matches',
  usage: '<query>[, <query> ...]',
  options: [option.string('topics', 'One or more queries, separated by commas: tiktok OR bytedance, ukraine', { required: true, maxLength: 1000 })],
  access: 'manage',
  postsInChannel: true,
  async execute({ topics }, ctx): Promise<Reply> {
    const parts = splitTopicList(topics);
    if (parts.length === 0) throw new UserError('empty', 'Tell me what to look for, e.g. tiktok OR bytedance.', { showUsage: true });
    if (parts.length > MAX_TOPICS_PER_COMMAND) throw new UserError('too-many', `At most ${MAX_TOPICS_PER_COMMAND} topics at once, please.`);
    const lines: string[] = [];
    const problems: string[] = [];
    const added: ParsedQuery[] = [];
    for (const part of parts) {
      let parsed: ParsedQuery;
      try {
        parsed = parseUserQuery(part);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        problems.push(`${part}: ${err.message}${err.detail ? `\n${err.detail}` : ''}`);
        continue;
      }
      const topic = topicOf(parsed);
      const by = { id: ctx.invoker.userId, ...(ctx.invoker.userName ? { name: ctx.invoker.userName } : {}) };
      let result = await ctx.services.subscriptions.subscribe(ctx.destination, topic, by, ctx.now(), ctx.services.limits.topicsPerChannel);
      if (result.status === 'exists' && !result.subscription.active) {
        // Alerts had stopped (e.g. missing access); subscribing again is how people resume.
        await ctx.services.subscriptions.unsubscribe(ctx.destination, topic.id);
        result = await ctx.services.subscriptions.subscribe(ctx.destination, topic, by, ctx.now(), ctx.services.limits.topicsPerChannel);
      }
      if (result.status === 'full') {
        problems.push(`${parsed.canonical}: this channel already has ${result.limit} topics, the most it can have. Remove one first.`);
      } else if (result.status === 'exists') {
        lines.push(`#${result.subscription.number} ${parsed.canonical}: already subscribed`);
      } else {
        lines.push(`#${result.subscription.number} ${parsed.canonical}: subscribed`);
        added.push(parsed);
      }
    }
    const blocks: ReplyBlock[] = [];
    if (lines.length > 0) blocks.push({ kind: 'list', items: lines });
    if (problems.length > 0) blocks.push({ kind: 'problem', code: 'some-topics-failed', text: problems.join('\n') });
    if (added.length > 0) {
      const workspace = workspaceKey(ctx.destination);
      const since = ctx.now() - SEARCH_WINDOW_MS;
      const previews = await Promise.all(added.map((q) => ctx.services.search.search(q, { workspace, sinceMs: since, limit: PREVIEW_STORIES })));
      const seen = new Set<string>();
      const stories = previews.flat().filter((h) => !seen.has(h.story.id) && seen.add(h.story.id)).slice(0, PREVIEW_STORIES);
      blocks.push({
        kind: 'text',
        text:
          stories.length > 0
            ? 'New stories like these will be posted here as they come in. Recent matches (not posted):'
            : 'New matching stories will be posted here as they come in. Nothing in the last 7 days matches yet.',
      });
      if (stories.length > 0) blocks.push({ kind: 'stories', stories: stories.map((h) => storyCard(h.story, { terms: h.terms })) });
    }
    return { visibility: 'private', title: added.length > 0 ? 'Subscribed' : undefined, blocks };
  },
});
