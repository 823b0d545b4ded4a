import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedIdFor } from '../../src/core/feed.js';
import { storyFromItem } from '../../src/core/story.js';
import { createLogger } from '../../src/log.js';
import { createChatRuntime, type ChatRuntime } from '../../src/modes/chat-runtime.js';
import { createRuntime, type Runtime } from '../../src/modes/runtime.js';
import { OPERATOR_OWNER } from '../../src/queues/scheduler.js';
import { say } from '../support/chat.js';
import { testConfig } from '../support/runtime.js';

let runtime: Runtime;
let chat: ChatRuntime;
let clock = Date.now();
const log = createLogger({ level: 'silent', pretty: false });

beforeAll(async () => {
  const config = testConfig();
  runtime = await createRuntime(config, log);
  chat = await createChatRuntime(config, log, () => clock);
});
afterAll(async () => {
  await chat.close();
  await runtime.close();
});
beforeEach(() => {
  // Each test gets a fresh rate-limit window.
  clock += 60_000;
});

let n = 0;
async function storeStory(title: string, snippet: string, feed: { id: string; name: string }, hoursAgo = 1) {
  const at = new Date(Date.now() - hoursAgo * 3_600_000);
  const story = storyFromItem({ title, contentSnippet: snippet, link: `https://news.example/${++n}`, isoDate: at.toISOString() }, `url:news.example/${n}`, feed, at);
  await runtime.ctx.stories.add(story);
  await runtime.ctx.search.index(story);
  return story;
}

const wire = { id: feedIdFor('https://wire.example/rss'), name: 'Wire' };

describe('chat commands', () => {
  beforeAll(async () => {
    await runtime.ctx.feeds.addOwner(wire.id, OPERATOR_OWNER);
    await storeStory('Microsoft bestätigt Interesse an TikTok', 'Gespräche über das US-Geschäft laufen.', wire, 2);
    await storeStory('TikTok ban upheld by court', 'The app must be sold or shut down.', wire, 1);
    await storeStory('Banking crisis deepens', 'Banks are under pressure.', wire, 3);
    await storeStory('Old TikTok story', 'From last month.', wire, 24 * 10);
  });

  it('searches the last 7 days, newest first, with the matched terms and a share button', async () => {
    const { reply, text } = await say(chat, 'tiktok');
    expect(reply.visibility).toBe('private');
    const stories = reply.blocks.find((b) => b.kind === 'stories');
    expect(stories?.kind === 'stories' && stories.stories.map((s) => s.title)).toEqual(['TikTok ban upheld by court', 'Microsoft bestätigt Interesse an TikTok']);
    expect(text).toContain('matched: tiktok');
    expect(reply.actions).toEqual([expect.objectContaining({ id: 'post-to-channel', label: 'Post to channel' })]);
  });

  it('shares a search in the channel with the button', async () => {
    const { reply } = await say(chat, 'tiktok');
    const shared = await chat.runAction(reply.actions![0]!.token, {
      invoker: { platform: 'discord', userId: 'U2', userName: 'bob', canManage: false },
      destination: { platform: 'discord', workspaceId: 'G1', channelId: 'C1' },
    });
    expect(shared.visibility).toBe('channel');
    expect(shared.title).toBe('bob shared: Latest news for tiktok');
    expect(shared.actions).toBeUndefined();
  });

  it('matches whole words only: ban finds bans but not banking', async () => {
    const { text } = await say(chat, 'ban');
    expect(text).toContain('TikTok ban upheld');
    expect(text).not.toContain('Banking crisis');
  });

  it('explains a query that does not parse, with where and why', async () => {
    const { problem } = await say(chat, 'tiktok OR');
    expect(problem).toMatchObject({ code: expect.stringMatching(/^bad-query/), text: expect.stringMatching(/character \d+/) });
  });

  it('refuses management to members without the right and stores nothing', async () => {
    const { problem } = await say(chat, 'subscribe tiktok', { canManage: false, dest: { platform: 'discord', workspaceId: 'G1', channelId: 'C-refused' } });
    expect(problem).toMatchObject({ code: 'not-allowed' });
    expect(await chat.services.subscriptions.list({ platform: 'discord', workspaceId: 'G1', channelId: 'C-refused' })).toEqual([]);
    const { reply } = await say(chat, 'tiktok', { canManage: false });
    expect(reply.blocks.some((b) => b.kind === 'stories')).toBe(true);
  });

  it('subscribes several topics at once and previews recent matches without posting them', async () => {
    const dest = { platform: 'discord' as const, workspaceId: 'G1', channelId: 'C-sub' };
    const { text, reply } = await say(chat, 'subscribe TikTok, ukraine, bad (', { dest });
    expect(text).toContain('#1 tiktok: subscribed');
    expect(text).toContain('#2 ukraine: subscribed');
    expect(text).toMatch(/bad \(: That query does not work/);
    expect(text).toContain('Recent matches (not posted)');
    expect(reply.blocks.some((b) => b.kind === 'stories')).toBe(true);
    expect(await runtime.ctx.queues.deliver.discord.queue.count()).toBe(0);
    const again = await say(chat, 'subscribe tiktok', { dest });
    expect(again.text).toContain('#1 tiktok: already subscribed');
  });

  it('unsubscribes by number or by query, and says so when there is nothing to remove', async () => {
    const dest = { platform: 'discord' as const, workspaceId: 'G1', channelId: 'C-unsub' };
    await say(chat, 'subscribe alpha, beta', { dest });
    expect((await say(chat, 'unsubscribe 2', { dest })).text).toContain('Unsubscribed #2 beta');
    expect((await say(chat, 'unsubscribe ALPHA', { dest })).text).toContain('Unsubscribed #1 alpha');
    expect((await say(chat, 'unsubscribe alpha', { dest })).problem).toMatchObject({ code: 'not-subscribed' });
  });

  it('offers the channel’s topics as autocomplete choices', async () => {
    const dest = { platform: 'discord' as const, workspaceId: 'G1', channelId: 'C-auto' };
    await say(chat, 'subscribe tiktok, ukraine', { dest });
    const def = chat.commands.find((c) => c.path[0] === 'unsubscribe')!;
    const choices = await chat.autocomplete(def, { name: 'topic', value: 'tik' }, { invoker: { platform: 'discord', userId: 'U1', canManage: true }, destination: dest });
    expect(choices).toEqual([{ name: '#1 tiktok', value: '1' }]);
  });

  it('caps a channel at 25 topics', async () => {
    const dest = { platform: 'discord' as const, workspaceId: 'G1', channelId: 'C-cap' };
    for (let i = 0; i < 3; i++) {
      clock += 60_000;
      await say(chat, `subscribe ${Array.from({ length: 10 }, (_, j) => `topic${i * 10 + j}`).join(', ')}`, { dest });
    }
    clock += 60_000;
    expect((await chat.services.subscriptions.list(dest)).length).toBe(25);
    expect((await say(chat, 'subscribe one-more', { dest })).text).toMatch(/already has 25 topics/);
  });

  it('limits each user to 5 commands per 10 seconds', async () => {
    const replies = [];
    for (let i = 0; i < 7; i++) replies.push(await say(chat, 'help', { user: 'spammer' }));
    expect(replies.filter((r) => r.problem?.code === 'rate-limited')).toHaveLength(2);
    expect((await say(chat, 'help', { user: 'someone-else' })).problem).toBeUndefined();
  });

  it('shows usage for a command with a missing argument', async () => {
    const { problem } = await say(chat, 'subscribe');
    expect(problem).toMatchObject({ code: 'bad-arguments', usage: '/news subscribe <query>[, <query> ...]' });
  });

  it('keeps a workspace’s own feed out of other workspaces’ searches', async () => {
    const own = { id: feedIdFor('https://intranet.example/rss'), name: 'Intranet' };
    await runtime.ctx.feeds.addOwner(own.id, 'discord:G-own');
    await storeStory('Quarterly zebra numbers', 'Internal only.', own);
    expect((await say(chat, 'zebra', { dest: { platform: 'discord', workspaceId: 'G-own', channelId: 'C' } })).text).toContain('Quarterly zebra numbers');
    expect((await say(chat, 'zebra', { dest: { platform: 'discord', workspaceId: 'G-other', channelId: 'C' } })).text).toContain('No story of the last 7 days');
  });

  it('answers with a reference instead of failing when something breaks inside', async () => {
    const original = chat.services.search.search;
    chat.services.search.search = () => Promise.reject(new Error('boom'));
    try {
      const { problem } = await say(chat, 'tiktok');
      expect(problem).toMatchObject({ code: 'internal', text: expect.stringMatching(/ref [0-9a-f]{6}/) });
    } finally {
      chat.services.search.search = original;
    }
  });
});
