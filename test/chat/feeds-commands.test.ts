import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createChatRuntime, type ChatRuntime } from '../../src/modes/chat-runtime.js';
import { createRuntime, type Runtime } from '../../src/modes/runtime.js';
import { startWorkerRole } from '../../src/modes/worker.js';
import { CHAT_FEED_MIN_INTERVAL_SECONDS } from '../../src/storage/workspace-feeds.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { say } from '../support/chat.js';
import { items, rss } from '../support/rss.js';
import { testConfig } from '../support/runtime.js';

let fake: FakeFeeds;
let runtime: Runtime;
let chat: ChatRuntime;
let workers: { stop(graceMs?: number): Promise<void> };
let clock = Date.now();

beforeAll(async () => {
  fake = await startFakeFeeds();
  const config = testConfig();
  const log = createLogger({ level: 'silent', pretty: false });
  runtime = await createRuntime(config, log);
  workers = startWorkerRole(runtime, { drainDelay: 1 });
  chat = await createChatRuntime(config, log, () => clock);
});
afterAll(async () => {
  await chat.close();
  await workers.stop(500);
  await runtime.close();
  await fake.close();
});
beforeEach(() => {
  clock += 60_000;
});

const dest = (ws: string) => ({ platform: 'discord' as const, workspaceId: ws, channelId: 'C1' });

describe('feeds commands', () => {
  it('adds a feed after checking it, polls it every 10 minutes at most, lists and removes it', async () => {
    fake.setFeed('/club.xml', rss('Club news', items('club', 4, new Date())));
    const added = await say(chat, `feeds add ${fake.url('/club.xml')}`, { dest: dest('G-a') });
    expect(added.text).toMatch(/^Added 127\.0\.0\.1 \(id [0-9a-f]{8}\)/);
    const [feed] = await chat.services.feeds.list('discord:G-a');
    expect(feed!.intervalSeconds).toBeGreaterThanOrEqual(CHAT_FEED_MIN_INTERVAL_SECONDS);
    expect((await say(chat, 'feeds list', { dest: dest('G-a') })).text).toMatch(/ok, checked/);
    expect((await say(chat, `feeds add ${fake.url('/club.xml')}`, { dest: dest('G-a') })).text).toContain('You already have this feed');
    const removed = await say(chat, `feeds remove ${feed!.id.slice(0, 8)}`, { dest: dest('G-a') });
    expect(removed.text).toContain('Removed');
    expect(await chat.services.feeds.list('discord:G-a')).toEqual([]);
    expect(await runtime.ctx.feeds.get(feed!.id)).toBeUndefined();
  });

  it('does not add something that is not a feed, and says why', async () => {
    fake.route('/page.html', { body: '<html><body>hello</body></html>', headers: { 'content-type': 'text/html' } });
    const { problem } = await say(chat, `feeds add ${fake.url('/page.html')}`, { dest: dest('G-b') });
    expect(problem).toMatchObject({ code: 'feed-unusable', text: expect.stringMatching(/could not be used/) });
    expect(await chat.services.feeds.list('discord:G-b')).toEqual([]);
  });

  it('refuses a private address at connect time without dialling it, and bad URLs at once', async () => {
    // 10.0.0.1 is refused by the connect hook before any socket opens (see address-guard tests).
    const privateAddr = await say(chat, 'feeds add http://10.0.0.1/rss', { dest: dest('G-c') });
    expect(privateAddr.problem).toMatchObject({ code: 'feed-unusable', text: expect.stringMatching(/private/) });
    for (const bad of ['ftp://example.com/feed', 'http://user:pw@example.com/rss']) {
      clock += 60_000;
      expect((await say(chat, `feeds add ${bad}`, { dest: dest('G-c') })).problem).toMatchObject({ code: 'bad-url' });
    }
    clock += 60_000;
    const long = await say(chat, `feeds add https://example.com/${'x'.repeat(5000)}`, { dest: dest('G-c') });
    expect(long.problem).toMatchObject({ code: 'bad-arguments', text: 'url is too long.' });
    expect(await chat.services.feeds.list('discord:G-c')).toEqual([]);
  });

  it('caps a workspace at 20 feeds', async () => {
    for (let i = 0; i < 20; i++) {
      fake.setFeed(`/cap-${i}.xml`, rss(`Cap ${i}`, []));
      await chat.services.feeds.add('discord:G-cap', new URL(fake.url(`/cap-${i}.xml`)));
    }
    fake.setFeed('/cap-20.xml', rss('Cap 20', []));
    const { problem } = await say(chat, `feeds add ${fake.url('/cap-20.xml')}`, { dest: dest('G-cap') });
    expect(problem).toMatchObject({ code: 'too-many-feeds' });
  });
});
