import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../src/core/destination.js';
import { destinationKey } from '../../src/core/destination.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import type { Alert } from '../../src/delivery/alert.js';
import { nonceFor } from '../../src/delivery/deliver.js';
import { DeliveryError, type AlertSender } from '../../src/delivery/sender.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { startWorkerRole } from '../../src/modes/worker.js';
import { channel, subscribe } from '../support/subscriptions.js';
import { testRuntime } from '../support/runtime.js';
import { waitUntil } from '../support/wait.js';

/** A sender whose answers the test scripts; it records what would be visible. */
function scriptedSender() {
  const posts: Array<{ dest: Destination; alert: Alert; key: string; id: string }> = [];
  const edits: Array<{ id: string; alert: Alert }> = [];
  const script: Array<() => never | void> = [];
  let attempts = 0;
  const keys: string[] = [];
  const sender: AlertSender = {
    platform: 'console',
    async send(dest, alert, key) {
      attempts++;
      keys.push(key);
      script.shift()?.();
      const id = `m${posts.length + 1}`;
      posts.push({ dest, alert, key, id });
      return { messageId: id };
    },
    async edit(_dest, id, alert) {
      edits.push({ id, alert });
    },
    async recheck() {
      return 'forbidden';
    },
    async postReply() {
      return { messageId: 'reply' };
    },
  };
  return { sender, posts, edits, script, keys, attempts: () => attempts };
}

let runtime: Runtime;
let workers: { stop(graceMs?: number): Promise<void> };
let s: ReturnType<typeof scriptedSender>;
const dest = (id: string): Destination => ({ platform: 'console', workspaceId: 'local', channelId: id });

beforeEach(async () => {
  runtime = await testRuntime();
  s = scriptedSender();
  runtime.ctx.senders.console = s.sender;
  workers = startWorkerRole(runtime, { drainDelay: 1, stalledInterval: 1000, lockDuration: 3000 });
});
afterEach(async () => {
  await workers.stop(500);
  await runtime.close();
});

let n = 0;
async function story(title: string, source = 'Wire'): Promise<Story> {
  const st = storyFromItem({ title, contentSnippet: `${title}. More text.`, link: `https://news.example/${++n}` }, `url:news.example/${n}`, { id: 'f1', name: source }, new Date());
  await runtime.ctx.stories.add(st);
  return st;
}

let jobs = 0;
async function deliver(d: Destination, st: Story, clusterId = st.id) {
  await runtime.ctx.queues.deliver.console.add(
    { destination: destinationKey(d), storyId: st.id, clusterId, topics: [{ topicId: 't1', query: 'tiktok', terms: ['tiktok'] }] },
    { jobId: `d-${++jobs}` },
  );
}

const finished = async (count: number) =>
  await waitUntil(async () => {
    const counts = await runtime.ctx.queues.deliver.console.queue.getJobCounts('completed', 'failed');
    return (counts.completed ?? 0) + (counts.failed ?? 0) >= count;
  }, `${count} finished deliveries`);

describe('delivery', () => {
  it('posts one alert per channel and cluster, and edits it for a second outlet', async () => {
    const first = await story('TikTok deal confirmed', 'Agency A');
    const second = await story('TikTok: the deal is done', 'Paper B');
    const third = await story('TikTok sale agreed', 'Agency A');
    await deliver(dest('c1'), first);
    await finished(1);
    await deliver(dest('c1'), second, first.id);
    await deliver(dest('c1'), third, first.id);
    await deliver(dest('c1'), first); // the same delivery again (a second matching topic, a replayed job)
    await finished(4);
    expect(s.posts).toHaveLength(1);
    expect(s.edits.map((e) => e.alert.story.alsoReportedBy)).toEqual([['Paper B']]);
    expect(s.edits[0]!.alert.story.title).toBe('TikTok deal confirmed');
  });

  it('uses the same idempotency key for every attempt at one channel’s alert of a cluster', async () => {
    const st = await story('Retry me');
    s.script.push(() => {
      throw new Error('socket hang up');
    });
    await deliver(dest('c2'), st);
    await waitUntil(() => s.posts.length === 1, 'the retried post');
    expect(s.attempts()).toBe(2);
    expect(s.keys[0]).toBe(nonceFor(destinationKey(dest('c2')), st.id));
    expect(s.keys[1]).toBe(s.keys[0]);
  });

  it('puts a rate-limited alert back for exactly its wait instead of failing it', async () => {
    const st = await story('Slow down');
    s.script.push(() => {
      throw new DeliveryError('rate-limited', 'bucket', { retryAfterMs: 300 });
    });
    const t0 = Date.now();
    await deliver(dest('c3'), st);
    await waitUntil(() => s.posts.length === 1, 'the delayed post');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect((await runtime.ctx.queues.deliver.console.queue.getJobCounts('failed')).failed).toBe(0);
    // Operators see it in /metrics: a rate limit met, as a failed attempt of kind rate-limited.
    expect((await runtime.ctx.metrics.rateLimited.get()).values).toEqual([{ labels: { platform: 'console' }, value: 1 }]);
    expect((await runtime.ctx.metrics.alertFailures.get()).values).toEqual([{ labels: { platform: 'console', kind: 'rate-limited' }, value: 1 }]);
  });

  it('stops alerts to a channel that is gone, records one event, and sends nothing more there', async () => {
    await subscribe(runtime.ctx.subscriptions, channel('gone', 'local'), 'tiktok');
    const d: Destination = { platform: 'discord', workspaceId: 'local', channelId: 'gone' };
    runtime.ctx.senders.discord = {
      ...s.sender,
      platform: 'discord',
      async send() {
        throw new DeliveryError('destination-gone', 'Unknown Channel');
      },
    };
    const st = await story('Gone');
    await runtime.ctx.queues.deliver.discord.add({ destination: destinationKey(d), storyId: st.id, clusterId: st.id, topics: [{ topicId: 't', query: 'tiktok', terms: [] }] });
    await waitUntil(async () => (await runtime.ctx.subscriptions.list(channel('gone', 'local')))[0]?.active === false, 'the subscription to stop');
    const events = await runtime.ctx.events.readAfter('0', 10);
    expect(events.map((e) => e.event.type)).toEqual(['destination-disabled']);
    expect((await runtime.ctx.subscriptions.activeForTopics([(await runtime.ctx.subscriptions.list(channel('gone', 'local')))[0]!.topicId])).length).toBe(0);
  });

  it('stops a channel after three "forbidden" answers within an hour', async () => {
    await subscribe(runtime.ctx.subscriptions, { platform: 'console', workspaceId: 'local', channelId: 'locked' }, 'tiktok');
    for (let i = 0; i < 3; i++) {
      s.script.push(() => {
        throw new DeliveryError('destination-forbidden', 'Missing Permissions');
      });
    }
    const st = await story('Locked');
    await deliver(dest('locked'), st);
    await waitUntil(async () => (await runtime.ctx.subscriptions.list(dest('locked')))[0]?.active === false, 'the channel to stop', { timeoutMs: 20_000 });
    expect(s.posts).toHaveLength(0);
    expect(s.attempts()).toBe(3);
  });

  it('does not retry a message the platform rejected, and counts it', async () => {
    s.script.push(() => {
      throw new DeliveryError('rejected', 'Invalid Form Body');
    });
    const st = await story('Rejected');
    await deliver(dest('c5'), st);
    await waitUntil(async () => (await runtime.ctx.queues.deliver.console.queue.getJobCounts('failed')).failed === 1, 'the failed job');
    expect(s.attempts()).toBe(1);
    expect(await runtime.ctx.counters.all()).toMatchObject({ 'deliver.error.console.rejected': 1 });
  });
});
