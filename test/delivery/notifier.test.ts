import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/console/console.js';
import type { Destination } from '../../src/core/destination.js';
import { startNotifier } from '../../src/delivery/notifier.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { OPERATOR_OWNER } from '../../src/queues/scheduler.js';
import { subscribe } from '../support/subscriptions.js';
import { testRuntime } from '../support/runtime.js';

let runtime: Runtime;
let output: string;
beforeEach(async () => {
  runtime = await testRuntime();
  output = '';
  runtime.ctx.senders.console = createConsoleSender((t) => (output += t));
});
afterEach(async () => {
  await runtime.close();
});

const dest = (channelId: string): Destination => ({ platform: 'console', workspaceId: 'local', channelId });

describe('notifier', () => {
  it('tells the people who subscribed a channel, once, that its alerts stopped', async () => {
    await subscribe(runtime.ctx.subscriptions, dest('c1'), 'tiktok', 'alice');
    await subscribe(runtime.ctx.subscriptions, dest('c1'), 'ukraine', 'alice');
    await runtime.ctx.events.record({ type: 'destination-disabled', destination: 'console:local:c1', reason: 'Missing Access', subscriptions: 2, at: Date.now() });
    const notifier = startNotifier(runtime.ctx);
    try {
      expect(await notifier.runOnce()).toBe(1);
      expect(await notifier.runOnce()).toBe(0);
    } finally {
      await notifier.stop();
    }
    expect(output.match(/stopped posting alerts/g)).toHaveLength(1);
    expect(output).toContain('Missing Access');
  });

  it('posts one notice in each channel of the workspace that added a feed when it is disabled, none for operator feeds', async () => {
    await runtime.ctx.feeds.addOwner('ws-feed', 'console:local');
    await runtime.ctx.feeds.addOwner('op-feed', OPERATOR_OWNER);
    await subscribe(runtime.ctx.subscriptions, dest('c2'), 'tiktok');
    await subscribe(runtime.ctx.subscriptions, dest('c3'), 'gaza');
    await runtime.ctx.events.record({ type: 'feed-disabled', feedId: 'ws-feed', url: 'https://club.example/rss', name: 'Club', reason: 'http 500', at: Date.now() });
    await runtime.ctx.events.record({ type: 'feed-disabled', feedId: 'op-feed', url: 'https://big.example/rss', name: 'Big', reason: 'http 500', at: Date.now() });
    const notifier = startNotifier(runtime.ctx);
    try {
      expect(await notifier.runOnce()).toBe(2);
    } finally {
      await notifier.stop();
    }
    expect(output.match(/The feed Club/g)).toHaveLength(2);
    expect(output).not.toContain('The feed Big');
  });
});
