import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRuntime, type Runtime } from '../../src/modes/runtime.js';
import { chatInputInteraction, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { items, rss } from '../support/rss.js';
import { testConfig } from '../support/runtime.js';
import { waitUntil } from '../support/wait.js';

const root = join(import.meta.dirname, '../..');
const main = join(root, 'dist/src/main.js');
const config = testConfig();

let feeds: FakeFeeds;
let discord: FakeDiscord;
let runtime: Runtime;
let feedsFile: string;
const children: ChildProcess[] = [];

/** `newshound start --role <role>` on the test's Redis prefix, with FakeDiscord and one feed. */
function startRole(role: 'bot' | 'scheduler' | 'worker'): ChildProcess {
  const child = spawn(process.execPath, [main, 'start', '--role', role], {
    env: {
      PATH: process.env.PATH,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      FEEDS_FILE: feedsFile,
      FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
      DISCORD_TOKEN: discord.token,
      DISCORD_APP_ID: discord.appId,
      DISCORD_API_URL: discord.apiBase,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

// `npm test` builds first; running this file alone needs `npm run build`.
describe.runIf(existsSync(main))('one role per process (newshound start --role ...)', () => {
  beforeAll(async () => {
    feeds = await startFakeFeeds();
    discord = await startFakeDiscord({ guilds: [{ id: '100', channels: [{ id: '200' }] }] });
    feeds.setFeed('/roles.xml', rss('Roles', items('r', 3, new Date())));
    feedsFile = join(mkdtempSync(join(tmpdir(), 'nh-roles-')), 'feeds.json');
    writeFileSync(feedsFile, JSON.stringify([{ url: feeds.url('/roles.xml'), name: 'Roles', intervalSeconds: 1 }]));
    runtime = await createRuntime(config, createLogger({ level: 'silent', pretty: false }));
  });

  afterAll(async () => {
    const exits = children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))));
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(exits);
    await runtime.close();
    await discord.close();
    await feeds.close();
  });

  it('the scheduler schedules and the bot answers, but neither polls; a worker then polls the due feed', async () => {
    startRole('scheduler');
    startRole('bot');
    // A poll is due and waiting: only a worker takes it.
    await waitUntil(async () => ((await runtime.ctx.queues.poll.queue.getWaitingCount()) > 0 ? true : undefined), 'a due poll job', { timeoutMs: 20_000 });
    await discord.waitForReady(20_000);
    const record = await discord.interact(chatInputInteraction({ name: 'news', options: [{ type: 3, name: 'query', value: 'tiktok' }] }));
    expect(JSON.stringify((await record.waitForFinal(20_000)).data)).toContain('No story of the last 7 days');
    expect(feeds.requestCount('/roles.xml')).toBe(0);

    startRole('worker');
    await waitUntil(() => (feeds.requestCount('/roles.xml') > 0 ? true : undefined), 'the worker to poll the feed', { timeoutMs: 20_000 });
  }, 60_000);
});
