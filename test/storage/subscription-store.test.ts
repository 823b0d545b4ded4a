import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/core/query/parser.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { createTopicSync } from '../../src/storage/topic-sync.js';
import { createLogger } from '../../src/log.js';
import { prepareDocument } from '../../src/core/text/normalize.js';
import { channel, subscribe } from '../support/subscriptions.js';
import { testRuntime } from '../support/runtime.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await testRuntime();
});
afterAll(async () => {
  await runtime.close();
});

const silent = createLogger({ level: 'silent', pretty: false });

describe('subscription store', () => {
  it('makes `TikTok` and ` tiktok ` one topic shared by every channel that uses it', async () => {
    const store = runtime.ctx.subscriptions;
    const a = await subscribe(store, channel('A'), 'TikTok');
    const b = await subscribe(store, channel('B'), ' tiktok ');
    expect(a.status).toBe('added');
    expect(b.status).toBe('added');
    if (a.status !== 'added' || b.status !== 'added') throw new Error('unreachable');
    expect(a.subscription.topicId).toBe(b.subscription.topicId);
    expect(a.newTopic).toBe(true);
    expect(b.newTopic).toBe(false);
    expect((await store.topics()).filter((t) => t.canonical === 'tiktok')).toHaveLength(1);
  });

  it('numbers a channel’s subscriptions, refuses duplicates and enforces the per-channel cap', async () => {
    const store = runtime.ctx.subscriptions;
    const dest = channel('C');
    const first = await subscribe(store, dest, 'ukraine');
    const again = await subscribe(store, dest, 'Ukraine');
    expect(again.status).toBe('exists');
    const second = await subscribe(store, dest, 'gaza OR israel');
    expect(first.status === 'added' && first.subscription.number).toBe(1);
    expect(second.status === 'added' && second.subscription.number).toBe(3);
    const parsed = parseQuery('cap');
    const full = await store.subscribe(dest, { id: 'x', canonical: parsed.canonical }, { id: 'U' }, Date.now(), 2);
    expect(full).toEqual({ status: 'full', limit: 2 });
    expect((await store.list(dest)).map((s) => s.query)).toEqual(['ukraine', 'gaza OR israel']);
  });

  it('drops a topic with its last subscription', async () => {
    const store = runtime.ctx.subscriptions;
    const result = await subscribe(store, channel('D'), 'volcano');
    if (result.status !== 'added') throw new Error('unreachable');
    await store.unsubscribe(channel('D'), result.subscription.topicId);
    expect((await store.topics()).map((t) => t.canonical)).not.toContain('volcano');
    expect(await store.list(channel('D'))).toEqual([]);
  });

  it('keeps every worker’s topic index in sync with Redis, incrementally', async () => {
    const store = runtime.ctx.subscriptions;
    const early = createTopicSync(store, silent, 0);
    await early.refresh();
    const doc = prepareDocument({ title: 'Elon Musk buys a volcano island' });
    const before = early.match(doc).length;
    const added = await subscribe(store, channel('E'), 'island');
    await early.refresh();
    expect(early.match(doc).length).toBe(before + 1);
    const late = createTopicSync(store, silent, 0);
    await late.refresh();
    expect(late.size).toBe(early.size);
    if (added.status !== 'added') throw new Error('unreachable');
    await store.unsubscribe(channel('E'), added.subscription.topicId);
    await early.refresh();
    expect(early.match(doc).length).toBe(before);
  });

  it('deactivates every subscription of a channel, keeps them listed, and stops matching them', async () => {
    const store = runtime.ctx.subscriptions;
    await subscribe(store, channel('F'), 'eclipse');
    const n = await store.deactivateDestination(channel('F'), 'Missing Access');
    expect(n).toBe(1);
    expect(await store.list(channel('F'))).toEqual([expect.objectContaining({ active: false, inactiveReason: 'Missing Access' })]);
    expect((await store.topics()).map((t) => t.canonical)).not.toContain('eclipse');
  });
});
