import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/modes/runtime.js';
import { startScheduler } from '../../src/modes/scheduler.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { items, rss } from '../support/rss.js';
import { testRuntime } from '../support/runtime.js';
import { subscribe } from '../support/subscriptions.js';
import { waitUntil } from '../support/wait.js';

const root = join(import.meta.dirname, '../..');
const main = join(root, 'dist/src/main.js');
const FEEDS = 6;

let feeds: FakeFeeds;
let discord: FakeDiscord;
let runtime: Runtime;
let scheduler: { stop(): Promise<void> };
const workers: Array<{ child: ChildProcess; log: string[] }> = [];

function spawnWorker(): { child: ChildProcess; log: string[] } {
  const log: string[] = [];
  const child = spawn(process.execPath, [main, 'start', '--role', 'worker'], {
    env: {
      PATH: process.env.PATH,
      REDIS_URL: runtime.ctx.config.REDIS_URL,
      REDIS_PREFIX: runtime.ctx.config.REDIS_PREFIX,
      DISCORD_TOKEN: discord.token,
      DISCORD_APP_ID: discord.appId,
      DISCORD_API_URL: discord.apiBase,
      FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  return { child, log };
}

// `npm test` builds first; running this file alone needs `npm run build`.
describe.runIf(existsSync(main))('scale-out: two worker processes on one Redis', () => {
  beforeAll(async () => {
    feeds = await startFakeFeeds();
    discord = await startFakeDiscord({ guilds: [{ id: '100', channels: [{ id: '200' }] }] });
    const now = new Date();
    for (let i = 0; i < FEEDS; i++) feeds.setFeed(`/f${i}.xml`, rss(`Feed ${i}`, items(`f${i}`, 2, now)));
    const file = join(mkdtempSync(join(tmpdir(), 'nh-scale-')), 'feeds.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: FEEDS }, (_, i) => ({ url: feeds.url(`/f${i}.xml`), name: `Outlet ${i}`, intervalSeconds: 1 }))));
    runtime = await testRuntime({ FEEDS_FILE: file });
    await subscribe(runtime.ctx.subscriptions, { platform: 'discord', workspaceId: '100', channelId: '200' }, 'volcano');
    workers.push(spawnWorker(), spawnWorker());
    scheduler = await startScheduler(runtime);
  });

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once('exit', r)))));
    await scheduler.stop();
    await runtime.close();
    await discord.close();
    await feeds.close();
  });

  it('polls each feed once per interval, delivers each alert once, and both processes do work', async () => {
    await waitUntil(() => Array.from({ length: FEEDS }, (_, i) => feeds.requestCount(`/f${i}.xml`)).every((n) => n >= 2), 'two polls of every feed', { timeoutMs: 30_000 });
    const now = new Date();
    // Six different stories (distinct enough not to cluster), one per outlet.
    const stories = [
      ['Volcano erupts near Catania airport', 'Flights were cancelled after ash covered the runway in eastern Sicily.'],
      ['Iceland volcano threatens fishing town', 'Residents of Grindavik were told to leave as magma moved under the harbour.'],
      ['Scientists map volcano under Antarctic ice', 'A radar survey found a chamber of molten rock beneath the western shelf.'],
      ['Volcano tourism booms in Indonesia', 'Tour operators report record bookings for sunrise hikes on Mount Bromo.'],
      ['Insurers rethink volcano cover after losses', 'Premiums in the Canary Islands rose sharply following the La Palma eruption.'],
      ['Ancient volcano eruption dated by tree rings', 'Researchers linked a cold summer in 536 to a massive blast in Central America.'],
    ];
    for (let i = 0; i < FEEDS; i++) {
      const [title, description] = stories[i]!;
      feeds.setFeed(`/f${i}.xml`, rss(`Feed ${i}`, [{ title: title!, link: `https://v.example/${i}`, pubDate: now, description: description! }, ...items(`f${i}`, 2, now)]));
    }
    await discord.waitForMessages('200', FEEDS, 30_000);
    // Keep polling a few more rounds: nothing more may arrive, and no feed may be polled twice in one interval.
    await waitUntil(() => Array.from({ length: FEEDS }, (_, i) => feeds.requestCount(`/f${i}.xml`)).every((n) => n >= 6), 'more rounds of polls', { timeoutMs: 30_000 });
    const titles = discord.messages('200').map((m) => (m.embeds as Array<{ title: string }>)[0]!.title).sort();
    expect(titles).toEqual(stories.map(([title]) => title).sort());
    let minGapMs = Infinity;
    for (let i = 0; i < FEEDS; i++) {
      const times = feeds.requests.filter((r) => r.path === `/f${i}.xml`).map((r) => r.at);
      for (let k = 1; k < times.length; k++) minGapMs = Math.min(minGapMs, times[k]! - times[k - 1]!);
    }
    const polledBy = workers.map((w) => w.log.filter((l) => l.includes('"msg":"feed polled"')).length);
    console.log(`scale-out figures: ${FEEDS} alerts, ${discord.messages('200').length} messages, polls per process ${polledBy.join('/')}, shortest gap between polls of one feed ${Number.isFinite(minGapMs) ? `${minGapMs} ms` : 'n/a'}`);
    expect(discord.messages('200')).toHaveLength(FEEDS);
    expect(polledBy.every((n) => n > 0)).toBe(true);
    // Polls of one feed follow its 1 s schedule; two processes never poll it twice in one interval.
    expect(minGapMs).toBeGreaterThanOrEqual(500);
  }, 90_000);
});
