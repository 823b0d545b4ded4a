import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordRest, createDiscordSender } from '../../src/adapters/discord/sender.js';
import { createSlackSender, createSlackWebClient } from '../../src/adapters/slack/sender.js';
import type { Reply } from '../../src/chat/reply.js';
import { storyFromItem } from '../../src/core/story.js';
import { buildAlert } from '../../src/delivery/alert.js';
import { createLogger } from '../../src/log.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

const log = createLogger({ level: 'silent', pretty: false });
let discord: FakeDiscord;
let slack: FakeSlack;

beforeAll(async () => {
  discord = await startFakeDiscord();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await discord.close();
  await slack.close();
});

const cards = Array.from({ length: 12 }, (_, i) =>
  buildAlert(storyFromItem({ title: `Story ${i} @everyone`, contentSnippet: `Summary ${i} <@&9>`, link: `https://d.example/${i}` }, `url:d/${i}`, { id: 'f', name: `Outlet ${i}` }, new Date()), []).story,
);
const digest: Reply = { visibility: 'channel', title: 'Daily digest: 10 stories', blocks: [{ kind: 'stories', stories: cards.slice(0, 10) }, { kind: 'text', text: '2 more matching stories not shown.' }] };
const breaking = (mention: string): Reply => ({ visibility: 'channel', mention, title: 'Breaking: 3 outlets in 10 min', blocks: [{ kind: 'stories', stories: [cards[0]!] }] });

describe('digests and breaking mentions on the platforms', () => {
  it('Discord: a digest is one message of up to 10 embeds with no ping; a breaking follow-up pings only its role', async () => {
    const sender = createDiscordSender(createDiscordRest({ token: discord.token, api: discord.apiBase, retries: 0 }));
    await sender.postReply({ platform: 'discord', workspaceId: '100', channelId: '200' }, digest);
    const [message] = await discord.waitForMessages('200', 1);
    expect((message!.embeds as unknown[]).length).toBe(10);
    expect(discord.stats.mentionPings).toBe(0);
    await sender.postReply({ platform: 'discord', workspaceId: '100', channelId: '200' }, breaking('4242'));
    const [, follow] = await discord.waitForMessages('200', 2);
    expect(follow!.content).toMatch(/^<@&4242> /);
    expect(follow!.allowed_mentions).toEqual({ parse: [], roles: ['4242'] });
    expect(discord.stats.mentionPings).toBe(1);
    expect(discord.stats.rejected400).toBe(0);
  });

  it('Slack: a digest is one message with escaped text; a breaking follow-up mentions only its user group', async () => {
    const sender = createSlackSender(createSlackWebClient({ token: 'xoxb-test', apiUrl: slack.apiUrl, log }), { log });
    await sender.postReply({ platform: 'slack', workspaceId: 'T000001', channelId: 'C0NEWS' }, digest);
    const [message] = await slack.waitForMessages('C0NEWS', 1);
    expect(message!.mentions).toEqual([]);
    await sender.postReply({ platform: 'slack', workspaceId: 'T000001', channelId: 'C0NEWS' }, breaking('S0BREAKING'));
    const [, follow] = await slack.waitForMessages('C0NEWS', 2);
    expect(follow!.text).toMatch(/^<!subteam\^S0BREAKING> /);
    expect([...new Set(follow!.mentions)]).toEqual(['<!subteam^S0BREAKING>']);
  });
});
