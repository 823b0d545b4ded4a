import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSlackBot } from '../../src/adapters/slack/bot.js';
import type { Destination } from '../../src/core/destination.js';
import { createLogger } from '../../src/log.js';
import { createChatRuntime, type ChatRuntime } from '../../src/modes/chat-runtime.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { testConfig } from '../support/runtime.js';

const log = createLogger({ level: 'silent', pretty: false });
const SLOW_SEARCH_MS = 5_000;

let fake: FakeSlack;
let chat: ChatRuntime;
let http: { port?: number; stop(): Promise<void> };
let socket: { stop(): Promise<void> };
let socketFake: FakeSlack;
let url: string;
/** How long a search takes; RELIABILITY I1 makes it 5 s. */
let searchDelayMs = 0;

beforeAll(async () => {
  fake = await startFakeSlack({
    channels: [{ id: 'C0NEWS', name: 'news' }, { id: 'C0OUT', isMember: false }],
    users: [{ id: 'U0ALICE', name: 'alice', isAdmin: true }, { id: 'U0OWNER', name: 'olga', isOwner: true }, { id: 'U0BOB', name: 'bob' }, { id: 'U0CAROL', name: 'carol' }],
  });
  socketFake = await startFakeSlack();
  chat = await createChatRuntime(testConfig(), log);
  const search = chat.services.search.search.bind(chat.services.search);
  chat.services.search.search = async (...args) => {
    if (searchDelayMs > 0) await new Promise((r) => setTimeout(r, searchDelayMs));
    return await search(...args);
  };
  const common = { botToken: 'xoxb-test', chat, log, port: 0 };
  http = await startSlackBot({ ...common, apiUrl: fake.apiUrl, signingSecret: 'test-signing-secret', adminUserIds: ['U0CAROL'] });
  url = `http://127.0.0.1:${http.port}/slack/events`;
  socket = await startSlackBot({ ...common, apiUrl: socketFake.apiUrl, appToken: 'xapp-1-test', adminUserIds: [], timing: { clientPingTimeout: 600 } });
  await socketFake.waitForSocket();
});

afterAll(async () => {
  await http?.stop();
  await socket?.stop();
  await socketFake?.waitForSocketsClosed();
  await chat?.close();
  await fake?.close();
  await socketFake?.close();
});

afterEach(() => {
  searchDelayMs = 0;
  vi.useRealTimers();
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;

describe('Slack slash commands (RELIABILITY I1)', () => {
  it('acknowledges 200 slow searches over HTTP within a second each, then answers each once through its response_url', async () => {
    searchDelayMs = SLOW_SEARCH_MS;
    // 200 users within one second (one every 5 ms): all 200 searches are in flight together, as
    // when a story breaks. Each ack is timed from its own request.
    const acks = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 5));
        const t0 = performance.now();
        const res = await fake.postSigned(url, fake.slashCommandBody({ text: 'tiktok', userId: `U0USER${i}`, responseUrlId: `slow-${i}` }));
        expect(res.status).toBe(200);
        return performance.now() - t0;
      }),
    );
    acks.sort((a, b) => a - b);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => fake.waitForResponse(`slow-${i}`, 1, 20_000)));
    const posts = Array.from({ length: 200 }, (_, i) => fake.responseAttempts(`slow-${i}`).length);
    console.log(`I1 figures (HTTP): ack p50 ${Math.round(percentile(acks, 0.5))} ms, p99 ${Math.round(percentile(acks, 0.99))} ms, max ${Math.round(acks.at(-1)!)} ms; response_url posts per command max ${Math.max(...posts)}`);
    expect(percentile(acks, 0.99)).toBeLessThan(1000);
    expect(acks.at(-1)).toBeLessThan(3000);
    expect(Math.max(...posts)).toBeLessThanOrEqual(5);
    expect(answers.every(([a]) => JSON.stringify(a).includes('No story of the last 7 days'))).toBe(true);
  }, 60_000);

  it('acknowledges 100 slow searches over Socket Mode within a second each', async () => {
    searchDelayMs = SLOW_SEARCH_MS;
    const acks = await Promise.all(
      Array.from({ length: 100 }, (_, i) => socketFake.sendEnvelope('slash_commands', socketFake.slashCommandPayload({ text: 'tiktok', userId: `U0USER${i}`, responseUrlId: `sock-${i}` }))),
    );
    const times = acks.map((a) => a.at).sort((a, b) => a - b);
    await Promise.all(Array.from({ length: 100 }, (_, i) => socketFake.waitForResponse(`sock-${i}`, 1, 20_000)));
    const posts = Array.from({ length: 100 }, (_, i) => socketFake.responseAttempts(`sock-${i}`).length);
    console.log(`I1 figures (Socket Mode): ack p50 ${Math.round(percentile(times, 0.5))} ms, p99 ${Math.round(percentile(times, 0.99))} ms, max ${Math.round(times.at(-1)!)} ms; response_url posts per command max ${Math.max(...posts)}`);
    expect(percentile(times, 0.99)).toBeLessThan(1000);
    expect(Math.max(...posts)).toBeLessThanOrEqual(5);
  }, 60_000);
});

describe('Slack request signatures (RELIABILITY I2)', () => {
  it('accepts only the correctly signed, fresh request; everything else gets 401 and runs nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = (id: string) => fake.slashCommandBody({ text: 'help', responseUrlId: id });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const post = (raw: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { ...form, ...headers }, body: raw });
    const signed = (id: string, ts = now, secret?: string) => fake.signRequest(body(id), ts, secret);
    const valid = body('i2-valid');
    const validHeaders = fake.signRequest(valid, now);
    const cases: Array<[string, () => Promise<Response>]> = [
      ['valid', () => post(valid, validHeaders)],
      ['missing headers', () => post(body('i2-missing'), {})],
      ['wrong secret', () => post(body('i2-secret'), signed('i2-secret', now, 'not-the-secret'))],
      ['body altered by one byte', () => post(body('i2-altered').replace('help', 'helq'), signed('i2-altered'))],
      ['timestamp -301 s', () => post(body('i2-old'), signed('i2-old', now - 301))],
      ['timestamp +301 s', () => post(body('i2-future'), signed('i2-future', now + 301))],
      ['v1= signature', () => post(body('i2-v1'), { ...signed('i2-v1'), 'x-slack-signature': signed('i2-v1')['x-slack-signature']!.replace('v0=', 'v1=') })],
    ];
    const statuses: Record<string, number> = {};
    for (const [name, send] of cases) statuses[name] = (await send()).status;
    await fake.waitForResponse('i2-valid');
    // The same valid request, replayed 301 s later (only Date is moved forward).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 301_000);
    statuses['replay after 301 s'] = (await post(valid, validHeaders)).status;
    vi.useRealTimers();
    console.log(`I2 figures: ${Object.entries(statuses).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const { valid: ok, ...refused } = statuses;
    expect(ok).toBe(200);
    expect(Object.values(refused).every((s) => s === 401)).toBe(true);
    expect(Object.keys(refused)).toHaveLength(7);
    // Only the valid request ran: one answer, to its own response_url.
    expect(fake.responseAttempts('i2-valid')).toHaveLength(1);
    for (const id of ['i2-missing', 'i2-secret', 'i2-altered', 'i2-old', 'i2-future', 'i2-v1']) expect(fake.responseAttempts(id)).toEqual([]);
  });
});

describe('Slack permissions (RELIABILITY I3)', () => {
  const news: Destination = { platform: 'slack', workspaceId: 'T000001', channelId: 'C0NEWS' };
  const run = async (text: string, userId: string, responseUrlId: string, channelId = 'C0NEWS') => {
    await fake.postSigned(url, fake.slashCommandBody({ text, userId, channelId, responseUrlId }));
    const [answer] = (await fake.waitForResponse(responseUrlId)) as Array<{ text: string; response_type: string }>;
    return answer!;
  };

  it('refuses subscribe to a member who is not an admin, privately, and stores nothing; searching stays open', async () => {
    const refused = await run('subscribe volcano', 'U0BOB', 'i3-bob');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toContain('Only workspace admins');
    expect((await chat.services.subscriptions.list(news)).map((s) => s.query)).not.toContain('volcano');
    const again = await run('sub volcano', 'U0BOB', 'i3-bob-2');
    expect(again.text).toContain('Only workspace admins');
    const search = await run('volcano', 'U0BOB', 'i3-bob-search');
    expect(search.text).toContain('No story of the last 7 days matches volcano');
    const usersInfo = fake.callsTo('users.info').filter((c) => c.params.user === 'U0BOB');
    console.log(`I3 figures: non-admin subscribe refused twice, ${(await chat.services.subscriptions.list(news)).length} subscriptions stored, users.info calls for that user ${usersInfo.length} (cached)`);
    expect(usersInfo).toHaveLength(1);
  });

  it('lets admins, owners and allow-listed users manage', async () => {
    expect((await run('subscribe volcano', 'U0ALICE', 'i3-alice')).text).toContain('volcano: subscribed');
    expect((await run('subscribe earthquake', 'U0OWNER', 'i3-owner')).text).toContain('earthquake: subscribed');
    expect((await run('unsubscribe volcano', 'U0CAROL', 'i3-carol')).text).not.toContain('Only workspace admins');
    expect((await chat.services.subscriptions.list(news)).map((s) => s.query)).toEqual(['earthquake']);
  });

  it('refuses subscribe where Newshound cannot post, and gives a tip where it is not a member yet', async () => {
    expect((await run('subscribe volcano', 'U0ALICE', 'i3-ghost', 'C0GHOST')).text).toContain('I cannot post alerts in this channel');
    expect(await chat.services.subscriptions.list({ ...news, channelId: 'C0GHOST' })).toEqual([]);
    expect((await run('subscribe volcano', 'U0ALICE', 'i3-out', 'C0OUT')).text).toContain('/invite @Newshound');
  });
});
