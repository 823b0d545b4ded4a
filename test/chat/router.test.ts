import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { commandName } from '../../src/chat/command.js';
import { UserError } from '../../src/chat/errors.js';
import { routeText } from '../../src/chat/router.js';

const route = (text: string) => {
  const r = routeText(COMMANDS, text);
  return { command: commandName(r.command), args: r.args };
};

describe('routeText (Slack /news and the console)', () => {
  it.each([
    ['tiktok', 'search', { query: 'tiktok' }],
    ['tiktok OR bytedance -dance', 'search', { query: 'tiktok OR bytedance -dance' }],
    ['subscribe tiktok, bytedance', 'subscribe', { topics: 'tiktok, bytedance' }],
    ['sub tiktok', 'subscribe', { topics: 'tiktok' }],
    ['SUBSCRIBE tiktok', 'subscribe', { topics: 'tiktok' }],
    ['unsubscribe 2', 'unsubscribe', { topic: '2' }],
    ['list', 'list', {}],
    ['feeds add https://example.com/rss', 'feeds add', { url: 'https://example.com/rss' }],
    ['feeds remove ab12cd34', 'feeds remove', { feed: 'ab12cd34' }],
    ['feeds list', 'feeds list', {}],
    ['feeds', 'search', { query: 'feeds' }],
    ['help', 'help', {}],
    ['', 'help', {}],
    ['subscribe', 'subscribe', {}],
  ])('%j → %s', (text, command, args) => {
    expect(route(text)).toEqual({ command, args });
  });

  it('refuses text after a command that takes none', () => {
    expect(() => routeText(COMMANDS, 'list everything')).toThrow(UserError);
  });
});
