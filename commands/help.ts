import { defineCommand } from '../src/chat/command.js';
import type { Reply } from '../src/chat/reply.js';

/** `help`: every command with its usage, and the query language in brief. */
export default defineCommand({
  path: ['help'],
  description: 'How to use Newshound',
  usage: '',
  options: [],
  access: 'everyone',
  async execute(_args, ctx): Promise<Reply> {
    const items = ctx.help.commands.map((c) => `${ctx.help.usage(c)}: ${c.description}${c.access === 'manage' ? ' (needs the right to manage channels)' : ''}`);
    return {
      visibility: 'private',
      title: 'Newshound: news alerts for this channel',
      blocks: [
        { kind: 'list', items },
        {
          kind: 'text',
          text:
            'Queries: words must all appear (tiktok ban); OR or | for either (tiktok OR bytedance); -word or NOT to exclude; "exact phrase"; ( ) to group; tik* for words starting with tik. ' +
            'Plurals are included (ban finds bans), case and accents do not matter (munchen finds München), and a word never matches inside another (ban does not find bank).',
        },
      ],
    };
  },
});
