import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { start } from '../../src/modes/start.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { items, rss } from '../support/rss.js';
import { testConfig } from '../support/runtime.js';
import { waitUntil } from '../support/wait.js';

let fake: FakeFeeds;
let stdin: PassThrough;
let output = '';
let app: { stop(): Promise<void> };

const lead =
  'Microsoft hat Gespräche über eine Übernahme des US-Geschäfts der Video-App TikTok bestätigt. Der Konzern wolle die Verhandlungen bis spätestens 15. September abschließen, teilte Microsoft am Sonntag mit.';

beforeAll(async () => {
  fake = await startFakeFeeds();
  const now = new Date();
  fake.setFeed('/a.xml', rss('Agentur A', items('a', 3, now)));
  fake.setFeed('/b.xml', rss('Zeitung B', items('b', 3, now)));
  const feedsFile = join(mkdtempSync(join(tmpdir(), 'nh-console-')), 'feeds.json');
  writeFileSync(feedsFile, JSON.stringify([{ url: fake.url('/a.xml'), name: 'Agentur A', intervalSeconds: 1 }, { url: fake.url('/b.xml'), name: 'Zeitung B', intervalSeconds: 1 }]));
  stdin = new PassThrough();
  const config = testConfig({ FEEDS_FILE: feedsFile });
  app = await start(config, createLogger({ level: 'silent', pretty: false }), 'all', { stdin, write: (t) => (output += t), interactive: false });
});

afterAll(async () => {
  await app.stop();
  await fake.close();
});

const count = (needle: string) => output.split(needle).length - 1;

describe('console mode, end to end through Redis and BullMQ', () => {
  it('answers help and a bad query with a pointer to the problem', async () => {
    stdin.write('/news help\n');
    stdin.write('tiktok OR (bytedance\n');
    await waitUntil(() => output.includes('never closed'), 'the reply to a bad query');
    expect(output).toContain('subscribe <query>');
    expect(output).toMatch(/character \d+/);
  });

  it('subscribes, then prints exactly one alert per story, and updates it when a second outlet reports it', async () => {
    stdin.write('subscribe tiktok OR bytedance, ukraine\n');
    await waitUntil(() => output.includes('#2 ukraine: subscribed'), 'the subscribe confirmation');
    expect(output).toContain('#1 bytedance OR tiktok: subscribed');

    // Let both feeds record their baseline first: the first poll never alerts.
    await waitUntil(() => fake.requestCount('/a.xml') >= 2 && fake.requestCount('/b.xml') >= 2, 'two polls of each feed');
    const now = new Date();
    fake.setFeed('/a.xml', rss('Agentur A', [{ title: 'Microsoft bestätigt Interesse an TikTok', link: 'https://a.example/tiktok', pubDate: now, description: lead }, ...items('a', 3, now)]));
    await waitUntil(() => output.includes('🔔 alert'), 'the alert', { timeoutMs: 20_000 });
    expect(output).toContain('Microsoft bestätigt Interesse an TikTok');
    expect(output).toContain('matched: tiktok');

    fake.setFeed('/b.xml', rss('Zeitung B', [{ title: 'TikTok: Microsoft will US-Geschäft kaufen', link: 'https://b.example/tiktok-kauf', pubDate: now, description: lead }, ...items('b', 3, now)]));
    await waitUntil(() => output.includes('✎ update'), 'the update of the first alert', { timeoutMs: 20_000 });
    expect(output).toContain('also reported by Zeitung B');
    expect(count('🔔 alert')).toBe(1);
  });

  it('lists the topics with who added them and the alerts they sent', async () => {
    stdin.write('list\n');
    await waitUntil(() => output.includes('Topics of this channel'), 'the list reply');
    expect(output).toMatch(/#1 bytedance OR tiktok: added by you on \d{4}-\d\d-\d\d, 1 alert in 7 days/);
  });

  it('finds the stored story with a search', async () => {
    stdin.write('/news tiktok kaufen\n');
    await waitUntil(() => output.includes('Latest news for kaufen tiktok'), 'the search reply');
    expect(output).toContain('TikTok: Microsoft will US-Geschäft kaufen');
  });
});
