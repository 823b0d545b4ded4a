import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedIdFor, FEED_DISABLE_MIN_SPAN_MS } from '../../src/core/feed.js';
import { startNotifier } from '../../src/delivery/notifier.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { pollFeed, type PollOutcome } from '../../workers/poll.worker.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { figures, recordingSender } from '../support/reliability.js';
import { rss } from '../support/rss.js';
import { testRuntime } from '../support/runtime.js';
import { subscribe } from '../support/subscriptions.js';

let fake: FakeFeeds;
beforeAll(async () => {
  fake = await startFakeFeeds();
});
afterAll(async () => {
  await fake.close();
});

const HOUR = 3_600_000;
const SIMULATED_MS = 48 * HOUR;

/**
 * F8 with a controlled clock: the feed's schedule fires every interval for 48 simulated hours
 * (fast-forwarded past runs that would only find the feed waiting). A scheduled run may fire up to
 * 2 s before a wait ends; it is repeated a few ticks so such a run is seen.
 */
async function simulate(runtime: Runtime, feedId: string, intervalSeconds: number, t0: number) {
  let clock = t0;
  runtime.ctx.now = () => clock;
  const interval = intervalSeconds * 1000;
  const outcomes: PollOutcome[] = [];
  while (clock - t0 <= SIMULATED_MS) {
    const outcome = await pollFeed(feedId, runtime.ctx);
    if (outcome.outcome !== 'waiting') outcomes.push(outcome);
    if (outcome.outcome === 'disabled') break;
    const feed = await runtime.ctx.feeds.get(feedId);
    let next = clock + interval;
    const due = (feed?.nextPollAfter ?? 0) - 2_000;
    if (outcome.outcome !== 'waiting' && next < due) next = t0 + Math.ceil((due - t0) / interval) * interval;
    clock = next;
  }
  return outcomes;
}

describe('F8: a feed that keeps failing for 48 hours', () => {
  const cases = [
    { name: 'HTTP 500, polled every second', intervalSeconds: 1, route: { status: 500, body: 'oops' } },
    { name: 'HTTP 404, polled every minute', intervalSeconds: 60, route: { status: 404, body: 'gone' } },
    { name: 'not a feed (an HTML error page), polled every 5 minutes', intervalSeconds: 300, route: { body: '<html><body><h1>Maintenance</h1></body></html>', headers: { 'content-type': 'text/html' } } },
    { name: 'HTTP 500, a workspace feed polled every 10 minutes', intervalSeconds: 600, route: { status: 500, body: 'oops' } },
  ];

  it.each(cases)('is disabled after 10 failures spanning 24 h or more, with at most 15 requests and one notice: $name', async ({ name, intervalSeconds, route }) => {
    const runtime = await testRuntime();
    try {
      const path = `/f8-${intervalSeconds}.xml`;
      fake.setFeed(path, rss('Fine at first', []));
      const url = fake.url(path);
      const feed = { id: feedIdFor(url), url, name: 'Club news', intervalSeconds };
      await runtime.ctx.feeds.upsert(feed);
      // The feed belongs to a workspace with one channel subscribed: that channel hears about it once.
      await runtime.ctx.feeds.addOwner(feed.id, 'discord:100');
      await subscribe(runtime.ctx.subscriptions, { platform: 'discord', workspaceId: '100', channelId: '100000000000000801' }, 'harbour');
      const sender = recordingSender('discord');
      runtime.ctx.senders.discord = sender;
      const t0 = Date.now();
      runtime.ctx.now = () => t0;
      await pollFeed(feed.id, runtime.ctx);
      fake.route(path, route);
      const before = fake.requestCount(path);

      const outcomes = await simulate(runtime, feed.id, intervalSeconds, t0 + intervalSeconds * 1000);
      const requests = fake.requestCount(path) - before;
      const state = await runtime.ctx.feeds.get(feed.id);
      const failures = outcomes.filter((o) => o.outcome === 'failed');
      const notifier = startNotifier(runtime.ctx);
      for (let i = 0; i < 3; i++) await notifier.runOnce();
      await notifier.stop();
      const events = (await runtime.ctx.events.readAfter('0', 100)).filter((e) => e.event.type === 'feed-disabled');
      const span = state?.disabledAt !== undefined && state.firstFailureAt !== undefined ? state.disabledAt - state.firstFailureAt : undefined;
      figures('F8', {
        case: name,
        'requests in 48 h': `${requests} (target ≤ 15)`,
        'disabled after': state?.disabledAt !== undefined ? `${failures.length} failures spanning ${((span ?? 0) / HOUR).toFixed(1)} h` : 'not disabled',
        'disabled events': events.length,
        notices: sender.notices.length,
      });
      expect(state?.disabledAt).toBeDefined();
      expect(failures.length).toBeGreaterThanOrEqual(10);
      expect(span).toBeGreaterThanOrEqual(FEED_DISABLE_MIN_SPAN_MS);
      expect(requests).toBeLessThanOrEqual(15);
      expect(events).toHaveLength(1);
      expect(sender.notices).toHaveLength(1);
      expect(sender.notices[0]!.text).toContain('Club news');
    } finally {
      await runtime.close();
    }
  }, 60_000);
});
