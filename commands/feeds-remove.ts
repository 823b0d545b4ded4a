import { defineCommand } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { option } from '../src/chat/options.js';
import { textReply } from '../src/chat/reply.js';
import { workspaceKey } from '../src/core/destination.js';

/** `feeds remove <url|id>`: stop using one of this workspace's own feeds. */
export default defineCommand({
  path: ['feeds', 'remove'],
  description: 'Remove a feed this server/workspace added',
  usage: '<url|id>',
  options: [option.string('feed', 'The feed URL or its id from feeds list', { required: true, maxLength: 2048 })],
  access: 'manage',
  async execute({ feed }, ctx) {
    const removed = await ctx.services.feeds.remove(workspaceKey(ctx.destination), feed);
    if (removed === undefined) throw new UserError('unknown-feed', `None of your feeds has the id or URL "${feed}". feeds list shows them.`);
    return textReply(`Removed ${removed.name}. Its stories no longer reach this workspace.`);
  },
});
