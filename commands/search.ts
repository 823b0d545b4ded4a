import { defineCommand } from '../src/chat/command.js';
import { storyCard } from '../src/chat/cards.js';
import { option } from '../src/chat/options.js';
import { parseUserQuery } from '../src/chat/query.js';
import type { Reply } from '../src/chat/reply.js';
import { workspaceKey } from '../src/core/destination.js';

/** How far back `/news <query>` looks, and how many stories it shows. */
export const SEARCH_WINDOW_MS = 7 * 86_400_000;
export const SEARCH_RESULTS = 5;

/** `/news <query>`: the newest stored stories that match, privately, with a button to share them. */
export default defineCommand({
  path: [],
  description: 'Search the news of the last 7 days',
  usage: '<query>',
  options: [option.string('query', 'What to look for, e.g. tiktok OR bytedance -dance', { required: true, maxLength: 256 })],
  access: 'everyone',
  async execute({ query }, ctx): Promise<Reply> {
    const parsed = parseUserQuery(query);
    const workspace = workspaceKey(ctx.destination);
    const hits = await ctx.services.search.search(parsed, { workspace, sinceMs: ctx.now() - SEARCH_WINDOW_MS, limit: SEARCH_RESULTS });
    if (hits.length === 0) {
      return {
        visibility: 'private',
        blocks: [{ kind: 'text', text: `No story of the last 7 days matches ${parsed.canonical}. Subscribe to hear about the next one: ${ctx.help.usage(ctx.help.commands.find((c) => c.path[0] === 'subscribe') ?? ctx.help.commands[0]!)}` }],
      };
    }
    const token = await ctx.services.actions.put({ kind: 'post-search', query, workspace });
    return {
      visibility: 'private',
      title: `Latest news for ${parsed.canonical}`,
      blocks: [{ kind: 'stories', stories: hits.map((h) => storyCard(h.story, { terms: h.terms })) }],
      actions: [{ id: 'post-to-channel', label: 'Post to channel', token }],
    };
  },
});
