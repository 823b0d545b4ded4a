import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackBot } from '../../src/adapters/slack/bot.js';
import { createRedisChannelPacer } from '../../src/adapters/slack/pacing.js';
import { createSlackSender, createSlackWebClient } from '../../src/adapters/slack/sender.js';
import { destinationKey, type Destination } from '../../src/core/destination.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import { createLogger } from '../../src/log.js';
import { createChatRuntime } from '../../src/modes/chat-runtime.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { startWorkerRole } from '../../src/modes/worker.js';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../fakes/fake-slack.js';
import { testRuntime } from '../support/runtime.js';
import { subscribe } from '../support/subscriptions.js';
import { waitUntil } from '../support/wait.js';

const log = createLogger({ level: 'silent', pretty: false });
const CHANNELS = Array.from({ length: 10 }, (_, i) => `C0CH${i}`);
const TEAM = 'T000001';

let fake: FakeSlack;
let runtime: Runtime;
let workers: { stop(graceMs?: number): Promise<void> };

beforeEach(async () => {
  fake = await startFakeSlack({
    channels: [...CHANNELS.map((id) => ({ id })), { id: 'C0GONE', isArchived: true }, { id: 'C0OUT', isMember: false }, { id: 'C0RESTRICT' }],
  });
  runtime = await testRuntime();
  runtime.ctx.senders.slack = createSlackSender(createSlackWebClient({ token: 'xoxb-test', apiUrl: fake.apiUrl, log, timeoutMs: 2000 }), { log });
  workers = startWorkerRole(runtime, { drainDelay: 1, stalledInterval: 1000, lockDuration: 3000 });
});
afterEach(async () => {
  await workers.stop(500);
  await runtime.close();
  await fake.close();
});

const dest = (channelId: string): Destination => ({ platform: 'slack', workspaceId: TEAM, channelId });
const queue = () => runtime.ctx.queues.deliver.slack;
let n = 0;

async function enqueue(channelId: string): Promise<Story> {
  const st = storyFromItem({ title: `Story ${++n} about TikTok`, contentSnippet: 'Summary.', link: `https://news.example/${n}` }, `url:news.example/${n}`, { id: 'f', name: 'Wire' }, new Date());
  await runtime.ctx.stories.add(st);
  await queue().add(
    { destination: destinationKey(dest(channelId)), storyId: st.id, clusterId: st.id, topics: [{ topicId: 't', query: 'tiktok', terms: ['tiktok'] }] },
    { jobId: `j-${channelId}-${st.id}` },
  );
  return st;
}

const posts = (channel?: string): SlackCall[] => fake.callsTo('chat.postMessage').filter((c) => channel === undefined || c.params.channel === channel);
const finished = async (count: number) =>
  await waitUntil(async () => {
    const c = await queue().queue.getJobCounts('completed', 'failed');
    return (c.completed ?? 0) + (c.failed ?? 0) >= count;
  }, `${count} finished Slack deliveries`, { timeoutMs: 30_000 });

/**
 * The most posts a channel took beyond what "1 per second after a burst of 3" allows, over any
 * stretch of its accepted posts (0 = conforming). 20 ms of slack for timer and loopback jitter.
 */
function excessOverPace(times: number[]): number {
  let worst = 0;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const allowed = 3 + Math.floor((times[j]! - times[i]! + 20) / 1000);
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
}

describe('Slack delivery under platform rules (RELIABILITY S1, S2)', () => {
  it('S1: paces 100 alerts into 10 channels at about 1/s each, waits out every Retry-After, and never retries inside WebClient', async () => {
    // Scaled from 300 alerts: Slack's 1 message/s/channel makes 300 into 10 channels take 30 s or more.
    for (const c of CHANNELS) await subscribe(runtime.ctx.subscriptions, dest(c), 'tiktok');
    for (const c of CHANNELS.slice(0, 3)) fake.override({ method: 'chat.postMessage', channel: c, times: 1 }, { kind: 'rateLimit', retryAfterSeconds: 2 });
    const total = 100;
    const t0 = Date.now();
    for (let i = 0; i < total; i++) await enqueue(CHANNELS[i % CHANNELS.length]!);
    const visible = () => CHANNELS.reduce((sum, c) => sum + fake.messages(c).length, 0);
    await waitUntil(() => visible() === total, `${total} visible alerts`, { timeoutMs: 40_000 });
    const elapsed = Date.now() - t0;

    const accepted = posts().filter((c) => c.response?.status === 200);
    const excess = Math.max(...CHANNELS.map((c) => excessOverPace(accepted.filter((p) => p.params.channel === c).map((p) => p.at))));
    const { rateLimited, earlyRequests, maxPerChannelPerSecond } = fake.stats;
    console.log(
      `S1 figures (scaled to ${total} alerts / ${CHANNELS.length} channels): delivered ${visible()}/${total} in ${elapsed} ms, requests ${posts().length} = ${accepted.length} accepted + ${rateLimited} answered 429 ` +
        `(3 scripted), early ${earlyRequests}, max per channel in 1 s ${maxPerChannelPerSecond}, posts beyond 1/s + burst 3: ${excess}, history checks ${fake.callsTo('conversations.history').length}`,
    );
    expect(visible()).toBe(total);
    for (const c of CHANNELS) {
      const keys = fake.messages(c).map((m) => (m.metadata?.event_payload as { idempotency_key: string }).idempotency_key);
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(earlyRequests).toBe(0);
    expect(posts().length).toBe(total + rateLimited);
    expect(maxPerChannelPerSecond).toBeLessThanOrEqual(3);
    expect(excess).toBe(0);
    expect(fake.callsTo('conversations.history')).toHaveLength(0);
  }, 60_000);

  it('S1: an alert whose answer was lost is found in the channel history on retry, not posted twice', async () => {
    const cases = CHANNELS.slice(0, 5);
    for (const c of cases) {
      await subscribe(runtime.ctx.subscriptions, dest(c), 'tiktok');
      fake.override({ method: 'chat.postMessage', channel: c, times: 1 }, { kind: 'acceptThenDrop' });
      await enqueue(c);
    }
    await finished(cases.length);
    const history = fake.callsTo('conversations.history');
    console.log(`S1 reconciliation figures: ${cases.length} dropped answers, ${cases.reduce((s, c) => s + fake.messages(c).length, 0)} visible alerts, ${history.length} history checks, ${posts().length} posts`);
    for (const c of cases) expect(fake.messages(c)).toHaveLength(1);
    expect(history.every((h) => h.params.include_all_metadata === 'true')).toBe(true);
    expect(posts()).toHaveLength(cases.length);
  }, 40_000);

  it('S2: a channel error stops that channel after one request; an install error pauses every Slack send', async () => {
    fake.override({ method: 'chat.postMessage', channel: 'C0RESTRICT' }, { kind: 'error', error: 'restricted_action' });
    const stops = { C0NOWHERE: 'channel_not_found', C0OUT: 'not_in_channel', C0GONE: 'is_archived', C0RESTRICT: 'restricted_action' };
    const subs = runtime.ctx.subscriptions;
    for (const c of Object.keys(stops)) {
      await subscribe(subs, dest(c), 'tiktok', 'U0ALICE');
      await enqueue(c);
    }
    await waitUntil(async () => (await Promise.all(Object.keys(stops).map(async (c) => (await subs.list(dest(c)))[0]?.active === false))).every(Boolean), 'every failing channel to stop');
    for (const c of Object.keys(stops)) for (let i = 0; i < 2; i++) await enqueue(c);
    await finished(Object.keys(stops).length * 3);
    const perChannel = Object.fromEntries(Object.keys(stops).map((c) => [c, posts(c).length]));
    const reasons = await Promise.all(Object.keys(stops).map(async (c) => (await subs.list(dest(c)))[0]?.inactiveReason));
    console.log(`S2 channel figures: requests per channel ${JSON.stringify(perChannel)} after 3 alerts each; reasons: ${reasons.join(' | ')}`);
    for (const [c, code] of Object.entries(stops)) {
      expect(perChannel[c]).toBe(1);
      expect(posts(c)[0]!.response?.body).toMatchObject({ error: code });
    }
    // The person who subscribed hears about it by direct message (App Home), once per channel.
    await waitUntil(() => posts('U0ALICE').length === Object.keys(stops).length, 'a direct message per stopped channel');

    const figures: string[] = [];
    const healthy = () => posts(CHANNELS[0]).length + posts(CHANNELS[1]).length;
    for (const code of ['account_inactive', 'token_revoked', 'invalid_auth', 'not_authed']) {
      await subscribe(subs, dest(CHANNELS[0]!), 'tiktok');
      await subscribe(subs, dest(CHANNELS[1]!), 'tiktok');
      fake.override({ method: 'chat.postMessage' }, { kind: 'error', error: code });
      const before = healthy();
      await enqueue(CHANNELS[0]!);
      await waitUntil(async () => await queue().queue.isPaused(), `the Slack queue to pause after ${code}`);
      const atPause = healthy();
      await enqueue(CHANNELS[0]!);
      await enqueue(CHANNELS[1]!);
      const { waiting } = await queue().queue.getJobCounts('waiting');
      figures.push(`${code}: ${atPause - before} request, then ${healthy() - atPause} with ${waiting} held`);
      expect(atPause - before).toBe(1);
      // Both new alerts are held in the paused queue, neither sent nor dropped.
      expect(waiting).toBe(2);
      expect(healthy()).toBe(atPause);
      fake.clearOverrides();
      await queue().queue.drain(true);
      await queue().queue.resume();
    }
    const events = (await runtime.ctx.events.readAfter('0', 50)).map((e) => e.event.type);
    console.log(`S2 install figures: ${figures.join('; ')}; events ${JSON.stringify(events)}`);
    expect(events.filter((e) => e === 'platform-halted')).toHaveLength(4);
  }, 60_000);

  it('S2: app_uninstalled and tokens_revoked stop every channel of the workspace, with no further requests', async () => {
    const chat = await createChatRuntime(runtime.ctx.config, log);
    const bot = await startSlackBot({ botToken: 'xoxb-test', apiUrl: fake.apiUrl, signingSecret: 'test-signing-secret', port: 0, adminUserIds: [], chat, log });
    try {
      const url = `http://127.0.0.1:${bot.port}/slack/events`;
      const subs = runtime.ctx.subscriptions;
      const results: string[] = [];
      for (const event of [{ type: 'app_uninstalled' }, { type: 'tokens_revoked', tokens: { oauth: [], bot: ['B0BOT'] } }]) {
        for (const c of CHANNELS.slice(0, 3)) await subscribe(subs, dest(c), 'tiktok');
        await subscribe(subs, { platform: 'slack', workspaceId: 'T0OTHER', channelId: 'C0ELSEWHERE' }, 'tiktok');
        const res = await fake.postSigned(url, fake.eventBody(event));
        expect(res.status).toBe(200);
        await waitUntil(async () => (await Promise.all(CHANNELS.slice(0, 3).map(async (c) => (await subs.list(dest(c)))[0]?.active === false))).every(Boolean), `${event.type} to stop the workspace`);
        const before = posts().length;
        const finishedBefore = (await queue().queue.getJobCounts('completed')).completed ?? 0;
        for (const c of CHANNELS.slice(0, 3)) await enqueue(c);
        await waitUntil(async () => ((await queue().queue.getJobCounts('completed')).completed ?? 0) >= finishedBefore + 3, 'the deliveries to be skipped');
        results.push(`${event.type}: ${posts().length - before} requests`);
        expect(posts().length).toBe(before);
        expect((await subs.list({ platform: 'slack', workspaceId: 'T0OTHER', channelId: 'C0ELSEWHERE' }))[0]?.active).toBe(true);
      }
      console.log(`S2 event figures: ${results.join(', ')}`);
    } finally {
      await bot.stop();
      await chat.close();
    }
  }, 30_000);
});

describe('Slack channel pacing', () => {
  it('lets a burst of 2 through, hands later jobs one slot a second, keeps a slot for its job, and voids slots after a 429', async () => {
    const pacer = createRedisChannelPacer(runtime.ctx.redis, runtime.ctx.keys);
    const key = destinationKey(dest('C0PACED'));
    const waits = [];
    for (const job of ['a', 'b', 'c', 'd']) waits.push(await pacer.reserve(key, job));
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    expect(waits[2]).toBeGreaterThan(900);
    expect(waits[3]).toBeGreaterThan(1900);
    // Asking again early keeps the same slot instead of taking a new one.
    expect(Math.abs((await pacer.reserve(key, 'c')) - waits[2]!)).toBeLessThan(100);
    await pacer.block(key, 5000);
    // c's slot was voided: it gets a new one after the Retry-After, and d queues behind it.
    const c = await pacer.reserve(key, 'c');
    const d = await pacer.reserve(key, 'd');
    expect(c).toBeGreaterThan(4900);
    expect(d - c).toBeGreaterThan(900);
  });
});
