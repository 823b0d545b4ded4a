import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedIdFor } from '../../src/core/feed.js';
import type { Destination } from '../../src/core/destination.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { startWorkerRole } from '../../src/modes/worker.js';
import { pollFeed } from '../../workers/poll.worker.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { figures, recordingSender, storyText } from '../support/reliability.js';
import { rss, type TestItem } from '../support/rss.js';
import { testRuntime } from '../support/runtime.js';
import { subscribe } from '../support/subscriptions.js';
import { waitUntil } from '../support/wait.js';
import { unfinished } from './scenarios/common.js';

/**
 * F9: the dedupe corpus. Each fixture is a sequence of polls of one or more feeds (what the feed
 * serves at each poll), run through the real poll, match and deliver workers into one channel per
 * fixture. Every fixture names the items that are genuinely new (new GUID, URL and title): each
 * must alert exactly once, and nothing else may alert.
 */

const HOUR = 3_600_000;
const T0 = Date.now();

/** One item of a fixture: `n` picks its text, so the same `n` is the same story. */
const KEYWORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike'];
function item(keyword: string, n: number, extra: Partial<TestItem> = {}): TestItem {
  const { title, lead } = storyText(700_000 + KEYWORDS.indexOf(keyword) * 1000 + n, keyword);
  return { title, link: `https://news.example/${keyword}/${n}`, guid: `${keyword}-${n}`, pubDate: new Date(T0 - (n + 1) * 600_000), description: lead, ...extra };
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const shuffled = <T,>(xs: T[], seed: number): T[] => {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

interface Fixture {
  name: string;
  keyword: string;
  /** polls[k][f]: the items feed f serves at poll k. */
  polls: TestItem[][][];
  /** Titles that must alert exactly once. */
  fresh: TestItem[];
  /** Subscribe the fixture's channel only before this poll (default: before the first). */
  subscribeBeforePoll?: number;
}

const fixtures: Fixture[] = (() => {
  const list: Fixture[] = [];
  {
    const k = 'alpha';
    const base = range(0, 10).map((n) => item(k, n));
    const fresh = item(k, 100, { pubDate: new Date(T0) });
    list.push({ name: 'stable GUIDs', keyword: k, polls: [[base], [base], [[fresh, ...base]], [[fresh, ...base]], [[fresh, ...base]]], fresh: [fresh] });
  }
  {
    const k = 'bravo';
    // GUIDs that are URLs, no <link>: the feed moves from http to https at the third poll.
    const at = (scheme: string) => range(0, 8).map((n) => item(k, n, { link: undefined, guid: `${scheme}://bravo.example/story/${n}` }));
    const fresh = item(k, 100, { link: undefined, guid: 'https://bravo.example/story/100', pubDate: new Date(T0) });
    list.push({ name: 'GUID http→https', keyword: k, polls: [[at('http')], [at('http')], [at('https')], [at('https')], [[fresh, ...at('https')]]], fresh: [fresh] });
  }
  {
    const k = 'charlie';
    // Links whose tracking parameters and fragment change on every poll; no GUID.
    const at = (p: number, ns: number[]) => ns.map((n) => item(k, n, { guid: undefined, link: `https://charlie.example/a/${n}?utm_source=rss&utm_medium=feed${p}&utm_campaign=c${p}#xtor=RSS-${p}` }));
    const fresh = { ...item(k, 100, { pubDate: new Date(T0) }), guid: undefined };
    const withFresh = (p: number) => [{ ...fresh, link: `https://charlie.example/a/100?utm_source=rss&utm_medium=feed${p}#xtor=RSS-${p}` }, ...at(p, range(0, 8))];
    list.push({ name: '#xtor= / utm_* churn', keyword: k, polls: [[at(0, range(0, 8))], [at(1, range(0, 8))], [withFresh(2)], [withFresh(3)], [withFresh(4)]], fresh: [{ ...fresh, link: 'https://charlie.example/a/100' }] });
  }
  {
    const k = 'delta';
    // Every item carries the same GUID; links and titles differ.
    const at = (ns: number[]) => ns.map((n) => item(k, n, { guid: 'the-one-guid' }));
    const f1 = item(k, 100, { guid: 'the-one-guid', pubDate: new Date(T0) });
    const f2 = item(k, 101, { guid: 'the-one-guid', pubDate: new Date(T0) });
    list.push({ name: 'all items share one GUID', keyword: k, polls: [[at(range(0, 6))], [[f1, ...at(range(0, 6))]], [[f1, ...at(range(0, 6))]], [[f2, f1, ...at(range(0, 6))]], [[f2, f1, ...at(range(0, 5))]]], fresh: [f1, f2] });
  }
  {
    const k = 'echo';
    // Neither GUID nor link: only title and date say which item is which.
    const at = (ns: number[]) => ns.map((n) => item(k, n, { guid: undefined, link: undefined }));
    const fresh = item(k, 100, { guid: undefined, link: undefined, pubDate: new Date(T0) });
    list.push({ name: 'no GUID and no link', keyword: k, polls: [[at(range(0, 6))], [at(range(0, 6))], [[fresh, ...at(range(0, 6))]], [[fresh, ...at(range(0, 6))]], [[fresh, ...at(range(0, 5))]]], fresh: [fresh] });
  }
  {
    const k = 'foxtrot';
    // The feed re-dates every item on every poll.
    const at = (p: number, ns: number[]) => ns.map((n) => item(k, n, { pubDate: new Date(T0 + p * 60_000 - n * 1000) }));
    const fresh = (p: number) => item(k, 100, { pubDate: new Date(T0 + p * 60_000) });
    list.push({ name: 'pubDate bumped on every poll', keyword: k, polls: [[at(0, range(0, 6))], [at(1, range(0, 6))], [at(2, range(0, 6))], [[fresh(3), ...at(3, range(0, 6))]], [[fresh(4), ...at(4, range(0, 6))]]], fresh: [fresh(3)] });
  }
  {
    const k = 'golf';
    // Item 0 disappears for two polls and comes back.
    const all = range(0, 6).map((n) => item(k, n));
    const fresh = item(k, 100, { pubDate: new Date(T0) });
    list.push({ name: 'item removed, then republished', keyword: k, polls: [[all], [all], [[fresh, ...all.slice(1)]], [[fresh, ...all.slice(1)]], [[fresh, ...all]]], fresh: [fresh] });
  }
  {
    const k = 'hotel';
    const all = range(0, 10).map((n) => item(k, n));
    const fresh = item(k, 100, { pubDate: new Date(T0) });
    list.push({ name: 'order shuffled on every poll', keyword: k, polls: [0, 1, 2, 3, 4].map((p) => [shuffled(p >= 3 ? [fresh, ...all] : all, p + 1)]), fresh: [fresh] });
  }
  {
    const k = 'india';
    const all = range(0, 10).map((n) => item(k, n));
    const fresh = item(k, 100, { pubDate: new Date(T0) });
    list.push({ name: 'feed flaps full→empty→full', keyword: k, polls: [[all], [[]], [all], [[]], [[fresh, ...all]]], fresh: [fresh] });
  }
  {
    const k = 'juliet';
    // The first answer is empty, then the feed shows its 20 existing items.
    const all = range(0, 20).map((n) => item(k, n));
    const fresh = item(k, 100, { pubDate: new Date(T0) });
    list.push({ name: 'feed flaps empty→full from its first poll', keyword: k, polls: [[[]], [all], [[]], [all], [[fresh, ...all]]], fresh: [fresh] });
  }
  {
    const k = 'kilo';
    // A channel subscribes after the feed was first polled: its 20 existing items never alert.
    const all = range(0, 20).map((n) => item(k, n));
    const fresh = item(k, 100, { pubDate: new Date(T0) });
    list.push({ name: 'first subscription with 20 existing items', keyword: k, polls: [[all], [all], [all], [all], [[fresh, ...all]]], fresh: [fresh], subscribeBeforePoll: 1 });
  }
  {
    const k = 'lima';
    // Items the feed never listed before, but published 25 h to 3 days ago.
    const all = range(0, 5).map((n) => item(k, n));
    const old = [25, 30, 72].map((h, i) => item(k, 50 + i, { pubDate: new Date(T0 - h * HOUR) }));
    const fresh = item(k, 100, { pubDate: new Date(T0) });
    list.push({ name: 'items older than 24 h', keyword: k, polls: [[all], [[...old, ...all]], [[...old, ...all]], [[fresh, ...old, ...all]], [[fresh, ...old, ...all]]], fresh: [fresh] });
  }
  {
    const k = 'mike';
    // One story in three feeds: an agency rewrite (other URL), and the same URL with tracking.
    const own = (f: number) => range(0, 4).map((n) => item(k, f * 10 + n));
    const story = item(k, 100, { pubDate: new Date(T0), link: 'https://outlet-a.example/2026/harbour-plan' });
    const rewrite = { ...story, title: `${story.title} (update)`, link: 'https://outlet-b.example/news/harbour', guid: 'b-harbour' };
    const tracked = { ...story, link: `${story.link}?utm_source=feed&utm_medium=rss`, guid: 'c-harbour' };
    list.push({
      name: 'same story in two feeds → one channel',
      keyword: k,
      polls: [
        [own(0), own(1), own(2)],
        [[story, ...own(0)], own(1), own(2)],
        [[story, ...own(0)], [rewrite, ...own(1)], own(2)],
        [[story, ...own(0)], [rewrite, ...own(1)], [tracked, ...own(2)]],
        [[story, ...own(0)], [rewrite, ...own(1)], [tracked, ...own(2)]],
      ],
      fresh: [story],
    });
  }
  return list;
})();

let fake: FakeFeeds;
let runtime: Runtime;
let workers: { stop(graceMs?: number): Promise<void> };
const sender = recordingSender('discord');

beforeAll(async () => {
  fake = await startFakeFeeds();
  // Items older than 24 h never alert (the corpus' "older than 24 h" fixture).
  runtime = await testRuntime({ MAX_STORY_AGE_HOURS: '24' });
  runtime.ctx.senders.discord = sender;
  workers = startWorkerRole(runtime, { drainDelay: 1, stalledInterval: 1000, lockDuration: 3000 });
});
afterAll(async () => {
  await workers.stop(500);
  await runtime.close();
  await fake.close();
});

describe('F9: the dedupe corpus', () => {
  it('alerts every genuinely new item exactly once and nothing else, in every fixture', async () => {
    const channelOf = (i: number): Destination => ({ platform: 'discord', workspaceId: '100', channelId: String(100_000_000_000_000_900n + BigInt(i)) });
    const queues = [runtime.ctx.queues.match.queue, runtime.ctx.queues.deliver.discord.queue];
    const drained = () => waitUntil(async () => (await Promise.all(queues.map(unfinished))).every((n) => n === 0), 'the queues to drain', { timeoutMs: 20_000 });
    // Every fixture's topic exists before its first poll (an observer channel holds it), so the
    // match worker's topic index, refreshed at most every 250 ms, already knows it.
    const observer: Destination = { platform: 'discord', workspaceId: '100', channelId: '100000000000000999' };
    for (const fx of fixtures) await subscribe(runtime.ctx.subscriptions, observer, fx.keyword);
    await waitUntil(async () => {
      await runtime.ctx.topics.refresh();
      return runtime.ctx.topics.size >= fixtures.length;
    }, 'the topic index to know every fixture');
    const rows: string[] = [];
    let duplicates = 0;
    let missed = 0;
    let unexpected = 0;
    for (const [i, fx] of fixtures.entries()) {
      const dest = channelOf(i);
      const feedCount = fx.polls[0]!.length;
      const feeds = range(0, feedCount).map((f) => {
        const path = `/f9-${fx.keyword}-${f}.xml`;
        const url = fake.url(path);
        return { path, def: { id: feedIdFor(url), url, name: `Outlet ${fx.keyword} ${f}`, intervalSeconds: 60 } };
      });
      for (const f of feeds) await runtime.ctx.feeds.upsert(f.def);
      for (const [p, docs] of fx.polls.entries()) {
        if (p === (fx.subscribeBeforePoll ?? 0)) await subscribe(runtime.ctx.subscriptions, dest, fx.keyword);
        for (const [f, items] of docs.entries()) {
          fake.setFeed(feeds[f]!.path, rss(`Outlet ${f}`, items));
          const outcome = await pollFeed(feeds[f]!.def.id, runtime.ctx);
          if (outcome.outcome !== 'ok' && outcome.outcome !== 'not-modified') throw new Error(`${fx.name}: poll ${p} of feed ${f}: ${JSON.stringify(outcome)}`);
        }
        await drained();
      }
      const posted = sender.posts.filter((x) => x.dest.channelId === dest.channelId).map((x) => x.alert.story.title);
      const expected = fx.fresh.map((x) => x.title);
      const dup = posted.length - new Set(posted).size;
      const miss = expected.filter((t) => !posted.includes(t)).length;
      const extra = [...new Set(posted)].filter((t) => !expected.includes(t)).length;
      duplicates += dup;
      missed += miss;
      unexpected += extra;
      rows.push(`${fx.name}: ${posted.length}/${expected.length}${dup + miss + extra > 0 ? ` (dup ${dup}, missed ${miss}, unexpected ${extra})` : ''}`);
    }
    const edits = sender.edits.filter((e) => e.dest.channelId === channelOf(fixtures.length - 1).channelId).length;
    figures('F9', {
      fixtures: `${fixtures.length} × 5 polls`,
      'duplicate alerts': duplicates,
      'missed new items': missed,
      'alerts for old or unchanged items': unexpected,
      'cross-feed copies shown as an edit of the one alert': edits,
      'alerts per fixture (got/expected)': rows.join('; '),
    });
    expect(rows.filter((r) => r.includes('(dup'))).toEqual([]);
    expect(duplicates).toBe(0);
    expect(missed).toBe(0);
    expect(unexpected).toBe(0);
  }, 90_000);
});
