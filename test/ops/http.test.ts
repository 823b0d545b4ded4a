import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Queue } from 'bullmq';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { checkHealth } from '../../src/ops/health.js';
import { start } from '../../src/modes/start.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { items, rss } from '../support/rss.js';
import { testConfig } from '../support/runtime.js';
import { subscribe } from '../support/subscriptions.js';
import { waitUntil } from '../support/wait.js';
import { createRedis } from '../../src/storage/redis.js';
import { createRedisSubscriptionStore } from '../../src/storage/subscription-store.js';
import { createKeys } from '../../src/storage/keys.js';

let fake: FakeFeeds;
let app: { port: number; stop(): Promise<void> };
let base: string;
const PASSWORD = 'correct horse battery staple';
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  fake = await startFakeFeeds();
  fake.setFeed('/ok.xml', rss('Healthy Feed', items('ok', 2, new Date())));
  fake.route('/down.xml', { status: 500, body: 'down' });
  const feedsFile = join(mkdtempSync(join(tmpdir(), 'nh-ops-')), 'feeds.json');
  writeFileSync(feedsFile, JSON.stringify([{ url: fake.url('/ok.xml'), name: 'Healthy Feed', intervalSeconds: 1 }, { url: fake.url('/down.xml'), name: 'Broken Feed', intervalSeconds: 1 }]));
  config = testConfig({ FEEDS_FILE: feedsFile, ADMIN_PASSWORD: PASSWORD });
  app = await start(config, createLogger({ level: 'silent', pretty: false }), 'all', { stdin: new PassThrough(), write: () => undefined, interactive: false });
  base = `http://127.0.0.1:${app.port}`;
  const redis = createRedis(config.REDIS_URL!, 'worker');
  await subscribe(createRedisSubscriptionStore(redis, createKeys(config.REDIS_PREFIX)), { platform: 'console', workspaceId: 'local', channelId: 'terminal' }, 'tiktok OR bytedance', 'alice');
  redis.disconnect();
  await waitUntil(() => fake.requestCount('/ok.xml') >= 1 && fake.requestCount('/down.xml') >= 1, 'both feeds polled');
});
afterAll(async () => {
  await app.stop();
  await fake.close();
});

const auth = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };

describe('HTTP endpoints', () => {
  it('answers /healthz with the queues and /readyz when started', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { ok: boolean; queues: Array<{ queue: string; idleSeconds?: number }> };
    expect(body.ok).toBe(true);
    expect(body.queues.map((q) => q.queue).sort()).toEqual(['deliver-console', 'deliver-discord', 'deliver-slack', 'digest', 'match', 'poll']);
    expect(body.queues.every((q) => q.idleSeconds !== undefined)).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('exports Prometheus metrics, polls by outcome included', async () => {
    await waitUntil(async () => (await (await fetch(`${base}/metrics`)).text()).includes('newshound_polls_total{outcome="failed"}'), 'a failed poll in the metrics');
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/newshound_polls_total\{outcome="ok"\} \d+/);
    expect(text).toMatch(/newshound_fetch_errors_total\{kind="http"\} \d+/);
    expect(text).toMatch(/newshound_queue_jobs\{queue="poll",state="delayed"\} \d+/);
    expect(text).toContain('# HELP newshound_feed_to_alert_seconds');
    expect(text).toContain('newshound_process_resident_memory_bytes');
  });

  it('keeps the admin pages behind the password', async () => {
    expect((await fetch(`${base}/admin`)).status).toBe(401);
    expect((await fetch(`${base}/admin`, { headers: { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` } })).status).toBe(401);
    const page = await fetch(`${base}/admin`, { headers: auth });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Healthy Feed');
    expect(html).toContain('tiktok OR bytedance'.split(' OR ').sort().join(' OR '));
    expect((await fetch(`${base}/admin/queues/`, { headers: auth })).status).toBe(200);
  });

  it.runIf(existsSync('/usr/bin/chromium'))('shows feeds with their health and subscriptions per channel in a real browser', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await (await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD } })).newPage();
      await page.goto(`${base}/admin`);
      await page.waitForSelector('#feeds');
      const rows = await page.$$eval('#feeds + table tbody tr', (trs) => trs.map((tr) => ({ cls: tr.className, text: tr.textContent ?? '' })));
      expect(rows.find((r) => r.text.includes('Healthy Feed'))?.cls).toBe('ok');
      expect(rows.find((r) => r.text.includes('Broken Feed'))?.cls).toMatch(/warn|bad/);
      expect(await page.textContent('h3')).toContain('console · local · terminal');
      expect(await page.textContent('body')).toContain('added by');
    } finally {
      await browser.close();
    }
  });
});

describe('liveness', () => {
  it('fails when jobs wait and this process’s worker has started none for a minute', async () => {
    const redis = createRedis(config.REDIS_URL!, 'worker');
    const queue = new Queue('wedged', { connection: redis, prefix: config.REDIS_PREFIX });
    try {
      await queue.add('x', {});
      const fresh = await checkHealth(redis, [queue], new Map([['wedged', Date.now()]]));
      expect(fresh.ok).toBe(true);
      const stuck = await checkHealth(redis, [queue], new Map([['wedged', Date.now() - 61_000]]));
      expect(stuck).toMatchObject({ ok: false, problems: [expect.stringMatching(/wedged: 1 jobs waiting, none started for 61 s/)] });
      await queue.pause();
      expect((await checkHealth(redis, [queue], new Map([['wedged', Date.now() - 61_000]]))).ok).toBe(true);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      redis.disconnect();
    }
  });
});
