import { defineCommand } from '../src/chat/command.js';
import type { Reply } from '../src/chat/reply.js';
import type { Feed } from '../src/core/feed.js';
import { workspaceKey } from '../src/core/destination.js';

/** How a feed is doing, in a few words. */
export function feedHealth(feed: Feed): string {
  if (feed.disabledAt !== undefined) return `disabled: ${feed.disabledReason ?? 'too many failures'}`;
  if (feed.failures > 0) return `failing (${feed.failures}×): ${feed.lastError ?? 'unknown error'}`;
  if (feed.lastSuccessAt !== undefined) return `ok, checked ${new Date(feed.lastSuccessAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return 'not checked yet';
}

/** `feeds list`: the feeds this workspace added, with their health. */
export default defineCommand({
  path: ['feeds', 'list'],
  description: 'Show the feeds this server/workspace added',
  usage: '',
  options: [],
  access: 'everyone',
  async execute(_args, ctx): Promise<Reply> {
    const feeds = await ctx.services.feeds.list(workspaceKey(ctx.destination));
    if (feeds.length === 0) {
      return { visibility: 'private', blocks: [{ kind: 'text', text: 'No feeds of your own yet: topics are matched against the built-in news feeds. Add one with feeds add <url>.' }] };
    }
    return {
      visibility: 'private',
      title: `Your feeds (${feeds.length} of ${ctx.services.limits.feedsPerWorkspace})`,
      blocks: [{ kind: 'list', items: feeds.map((f) => `${f.id.slice(0, 8)} ${f.name} (${f.url}): ${feedHealth(f)}`) }],
    };
  },
});
