import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedIdFor, type FeedDefinition } from '../../src/core/feed.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { pollFeed, type PollOutcome } from '../../workers/poll.worker.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { figures, storyText } from '../support/reliability.js';
import { rss, type TestItem } from '../support/rss.js';
import { testRuntime } from '../support/runtime.js';

let runtime: Runtime;
let servers: FakeFeeds[] = [];
beforeEach(async () => {
  runtime = await testRuntime();
});
afterEach(async () => {
  await runtime.close();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const itemsFor = (seed: number, n: number): TestItem[] =>
  Array.from({ length: n }, (_, i) => {
    const { title, lead } = storyText(seed * 100 + i, 'harbour');
    return { title, link: `https://news.example/f6/${seed}/${i}`, guid: `f6-${seed}-${i}`, pubDate: new Date(Date.now() - (i + 1) * 60_000), description: lead };
  });

describe('F6: conditional GET and politeness over 100 feeds', () => {
  it('asks conditionally on the 2nd poll, gets 304 for every unchanged feed, and never opens more than 2 connections to one host', async () => {
    // One host with 20 feeds, eight with 10: each fake server is its own origin.
    const hosts = [20, ...Array.from({ length: 8 }, () => 10)];
    const feeds: Array<{ def: FeedDefinition; server: FakeFeeds; path: string; seed: number }> = [];
    for (const [h, count] of hosts.entries()) {
      const server = await startFakeFeeds();
      servers.push(server);
      for (let i = 0; i < count; i++) {
        const path = `/f6-${i}.xml`;
        const seed = h * 100 + i;
        // A little latency, so polls to one host overlap and the connection cap matters.
        server.setFeed(path, rss(`Feed ${seed}`, itemsFor(seed, 10)), { delayHeadersMs: 20 });
        const url = server.url(path);
        const def = { id: feedIdFor(url), url, name: `Feed ${seed}`, intervalSeconds: 300 };
        await runtime.ctx.feeds.upsert(def);
        feeds.push({ def, server, path, seed });
      }
    }
    // Every feed polled at once each round (more parallel than any worker runs).
    const round = async () => await Promise.all(feeds.map((f) => pollFeed(f.def.id, runtime.ctx)));
    const first = await round();
    const requestsBefore = servers.map((s) => s.requests.length);
    const second = await round();
    const conditional = servers.flatMap((s, i) => s.requests.slice(requestsBefore[i])).filter((r) => r.headers['if-none-match'] !== undefined && r.headers['if-modified-since'] !== undefined).length;
    // Five feeds change; the other 95 must still be 304s.
    const changed = new Set(feeds.slice(0, 5).map((f) => f.def.id));
    for (const f of feeds.slice(0, 5)) f.server.setFeed(f.path, rss(`Feed ${f.seed}`, [...itemsFor(f.seed + 50_000, 1), ...itemsFor(f.seed, 10)]), { delayHeadersMs: 20 });
    const third = await round();
    const notModified = (outcomes: PollOutcome[], onlyUnchanged: boolean) =>
      outcomes.filter((o, i) => o.outcome === 'not-modified' && (!onlyUnchanged || !changed.has(feeds[i]!.def.id))).length;
    const unchangedPolls = second.length + third.length - changed.size;
    const share304 = (notModified(second, false) + notModified(third, true)) / unchangedPolls;
    const peaks = servers.map((s) => s.peakOpenConnections);
    const matchJobs = await runtime.ctx.queues.match.queue.count();
    figures('F6', {
      feeds: `${feeds.length} on ${servers.length} hosts (20 on one)`,
      'first poll': `${first.filter((o) => o.outcome === 'ok').length} × 200`,
      '2nd poll conditional': `${conditional}/${feeds.length}`,
      '304 on unchanged feeds': `${(share304 * 100).toFixed(1)} % (target ≥ 90 %)`,
      'changed feeds fetched': `${third.filter((o) => o.outcome === 'ok').length}/${changed.size}`,
      'stories handed to matching': `${matchJobs} (the ${changed.size} changed feeds' new items; none from 304s)`,
      'max connections per host': `${Math.max(...peaks)} (the 20-feed host: ${peaks[0]})`,
    });
    expect(first.every((o) => o.outcome === 'ok')).toBe(true);
    expect(conditional).toBe(feeds.length);
    expect(share304).toBeGreaterThanOrEqual(0.9);
    expect(third.filter((o) => o.outcome === 'ok')).toHaveLength(changed.size);
    expect(matchJobs).toBe(changed.size);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(2);
  }, 60_000);
});

describe('F7: 429 and 503 with and without Retry-After', () => {
  // Polled every 500 ms of simulated time (far more often than any schedule), so an early request would show.
  const TICK_MS = 500;
  const cases = [
    { name: 'Retry-After: 120', status: 429, header: () => '120', notBefore: () => 120_000, slackMs: 30_000 },
    // The date the server names (whole seconds), counted from when the 503 was answered.
    { name: 'Retry-After as an HTTP-date', status: 503, header: () => new Date(Date.now() + 180_000).toUTCString(), notBefore: (value?: string, t0 = 0) => Date.parse(value!) - t0, slackMs: 30_000 },
    // No header: 5 minutes (RELIABILITY F7: 5 min × 2^n) ± 10 % jitter, so 270-330 s.
    { name: 'no Retry-After', status: 429, header: () => undefined, notBefore: () => 270_000, slackMs: 62_000 },
  ];

  it.each(cases)('waits out $name for that feed only, then polls it again', async ({ name, status, header, notBefore, slackMs }) => {
    const server = await startFakeFeeds();
    servers.push(server);
    const defs = ['/limited.xml', '/other-a.xml', '/other-b.xml'].map((path, i) => {
      server.setFeed(path, rss(`Feed ${i}`, itemsFor(900 + i, 3)));
      const url = server.url(path);
      return { id: feedIdFor(url), url, name: `Feed ${i}`, intervalSeconds: 60, path };
    });
    for (const d of defs) await runtime.ctx.feeds.upsert(d);
    for (const d of defs) await pollFeed(d.id, runtime.ctx);
    const value = header();
    server.route('/limited.xml', { status, headers: value === undefined ? {} : { 'retry-after': value } });

    const t0 = Date.now();
    const notBeforeMs = notBefore(value, t0);
    let clock = t0;
    runtime.ctx.now = () => clock;
    const requestTimes = new Map<string, number[]>(defs.map((d) => [d.path, []]));
    const counts = () => defs.map((d) => server.requestCount(d.path));
    let before = counts();
    // The retry must come at most `slackMs` after the earliest allowed time; a little past that ends the run.
    const notAfterMs = notBeforeMs + slackMs;
    const end = t0 + notAfterMs + 5_000;
    while (clock <= end) {
      for (const d of defs) await pollFeed(d.id, runtime.ctx);
      const now = counts();
      defs.forEach((d, i) => {
        for (let k = before[i]!; k < now[i]!; k++) requestTimes.get(d.path)!.push(clock - t0);
      });
      before = now;
      clock += TICK_MS;
    }
    const limited = requestTimes.get('/limited.xml')!;
    const others = defs.slice(1).map((d) => requestTimes.get(d.path)!.length);
    const state = await runtime.ctx.feeds.get(defs[0]!.id);
    figures('F7', {
      case: name,
      'requests to the limited feed': `${limited.length} at ${limited.map((t) => `${(t / 1000).toFixed(1)} s`).join(', ')}`,
      'next one not before': `${(notBeforeMs / 1000).toFixed(1)} s`,
      'other feeds on the host polled': `${others.join(' and ')} times (every tick)`,
      'last error': state?.lastError ?? '-',
    });
    expect(limited[0]).toBe(0);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited[1]).toBeGreaterThanOrEqual(notBeforeMs);
    expect(limited[1]).toBeLessThanOrEqual(notAfterMs);
    const ticks = Math.floor((end - t0) / TICK_MS) + 1;
    for (const n of others) expect(n).toBe(ticks);
  }, 60_000);
});
