import { defineCommand } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { textReply, type Reply } from '../src/chat/reply.js';
import { workspaceKey } from '../src/core/destination.js';
import { validateFeedUrl } from '../src/feeds/address-guard.js';
import { feedHealth } from './feeds-list.js';

/** How long `feeds add` waits for the first check before answering. */
const FIRST_POLL_WAIT_MS = 8_000;

/**
 * `feeds add <url>`: a feed of this workspace's own (its stories reach only this workspace).
 * The URL must be http(s) without credentials; where it leads is checked by the fetcher's SSRF
 * guard when the worker first fetches it. The reply says what that first check found, and a
 * feed that is refused or is not a feed is removed again.
 */
export default defineCommand({
  path: ['feeds', 'add'],
  description: 'Add a feed whose stories only this server/workspace sees',
  usage: '<url>',
  options: [option.string('url', 'The RSS or Atom feed URL', { required: true, maxLength: 2048 })],
  access: 'manage',
  async execute({ url }, ctx): Promise<Reply> {
    let parsed: URL;
    try {
      parsed = validateFeedUrl(url.trim());
    } catch (err) {
      throw new UserError('bad-url', `That URL cannot be used: ${err instanceof Error ? err.message : 'invalid'}.`, { showUsage: true });
    }
    const workspace = workspaceKey(ctx.destination);
    const result = await ctx.services.feeds.add(workspace, parsed);
    if (result.status === 'full') throw new UserError('too-many-feeds', `This workspace already has ${result.limit} feeds, the most it can have. Remove one with feeds remove <id>.`);
    if (result.status === 'exists') return textReply(`You already have this feed: ${result.feed.name} (${feedHealth(result.feed)}).`);
    const checked = await ctx.services.feeds.firstPoll(result.feed.id, FIRST_POLL_WAIT_MS);
    if (checked?.lastSuccessAt !== undefined) {
      return textReply(`Added ${checked.name} (id ${checked.id.slice(0, 8)}). Its stories now count for this workspace's topics and searches; it is checked every ${Math.round(checked.intervalSeconds / 60)} minutes.`);
    }
    if (checked?.lastPolledAt !== undefined) {
      await ctx.services.feeds.remove(workspace, checked.id);
      throw new UserError('feed-unusable', `That feed could not be used, so it was not added: ${checked.lastError ?? 'unknown error'}.`);
    }
    return textReply(`Added ${parsed.hostname} (id ${result.feed.id.slice(0, 8)}). The first check is still running; feeds list shows how it went.`);
  },
});
