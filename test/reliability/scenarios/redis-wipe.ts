/**
 * R3: Redis restarted without persistence (everything gone: feed state, seen sets, schedules,
 * subscriptions) under the real CLI (`newshound start`, all roles, console mode) with 50 feeds of
 * 20 existing items each. Figures: alerts for items that existed before the restart (must be 0:
 * a feed without state is baselined again), new items after the restart delivered, how long until
 * every feed was polled again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedIdFor } from '../../../src/core/feed.js';
import type { Runtime } from '../../../src/modes/runtime.js';
import { startFakeFeeds } from '../../fakes/fake-feeds.js';
import { startKillableRedis } from '../../support/reliability-redis.js';
import { figures, reliabilityPrefix, secs, startNewshound, storyText, type NewshoundProcess } from '../../support/reliability.js';
import { rss, type TestItem } from '../../support/rss.js';
import { waitUntil } from '../../support/wait.js';
import { pause, sideRuntime } from './common.js';

const KEYWORD = 'tiktok';

export interface R3Result {
  feeds: number;
  oldItems: number;
  oldAlerts: number;
  newExpected: number;
  newDelivered: number;
  duplicates: number;
  rebaselineMs: number;
  line: string;
}

/** Alert titles printed by console mode, in order (updates excluded). */
export function consoleAlertTitles(stdout: string): string[] {
  return [...stdout.matchAll(/🔔 alert \[[^\]]*\]\n▸ (.*)/g)].map((m) => m[1]!);
}

export async function runRedisWipeScenario(opts: { feeds: number; itemsPerFeed: number; newAfter: number }): Promise<R3Result> {
  const redis = await startKillableRedis('none');
  const server = await startFakeFeeds();
  const prefix = reliabilityPrefix();
  let side: Runtime | undefined;
  let app: NewshoundProcess | undefined;
  try {
    const now = Date.now();
    const items: TestItem[][] = [];
    const oldTitles = new Set<string>();
    const defs = [];
    for (let f = 0; f < opts.feeds; f++) {
      // Recent enough to alert if they were ever taken for new ones.
      items.push(
        Array.from({ length: opts.itemsPerFeed }, (_, i) => {
          const { title, lead } = storyText(300_000 + f * 100 + i, KEYWORD);
          oldTitles.add(title);
          return { title, link: `https://news.example/r3/${f}/${i}`, guid: `r3-${f}-${i}`, pubDate: new Date(now - (i + 1) * 600_000), description: lead };
        }),
      );
      server.setFeed(`/r3-${f}.xml`, rss(`Outlet ${f}`, items[f]!));
      defs.push({ url: server.url(`/r3-${f}.xml`), name: `Outlet ${f}`, intervalSeconds: 1 });
    }
    const feedsFile = join(mkdtempSync(join(tmpdir(), 'nh-r3-')), 'feeds.json');
    writeFileSync(feedsFile, JSON.stringify(defs));
    let published = 0;
    const newTitles: string[] = [];
    const publish = (f: number) => {
      const { title, lead } = storyText(400_000 + published, KEYWORD);
      items[f]!.unshift({ title, link: `https://news.example/r3/new/${published}`, guid: `r3-new-${published}`, pubDate: new Date(), description: lead });
      server.setFeed(`/r3-${f}.xml`, rss(`Outlet ${f}`, items[f]!));
      newTitles.push(title);
      published++;
    };

    side = await sideRuntime(redis.url, prefix);
    const ids = defs.map((d) => feedIdFor(d.url));
    const allBaselined = async () => (await Promise.all(ids.map((id) => side!.ctx.feeds.get(id)))).every((f) => f?.baselinedAt !== undefined);
    const subscribed = (n: number) => (app!.stdout().match(/tiktok: (already )?subscribed/g) ?? []).length >= n;
    const alerts = () => consoleAlertTitles(app!.stdout());

    app = startNewshound({ cli: 'all' }, { REDIS_URL: redis.url, REDIS_PREFIX: prefix, FEEDS_FILE: feedsFile });
    app.send(`subscribe ${KEYWORD}`);
    await waitUntil(() => subscribed(1), 'the subscription', { timeoutMs: 20_000 });
    await waitUntil(allBaselined, 'every feed to be baselined', { timeoutMs: 60_000, intervalMs: 200 });
    publish(0);
    await waitUntil(() => alerts().length >= 1, 'an alert before the restart', { timeoutMs: 30_000 });

    // Redis comes back empty.
    await redis.kill();
    await pause(1_000);
    const upAt = await redis.start();
    // The people who had subscribed do it again (subscriptions were in Redis too).
    const answers = () => (app!.stdout().match(/tiktok: (already )?subscribed|cannot reach its database/g) ?? []).length;
    while (!subscribed(2)) {
      const before = answers();
      app.send(`subscribe ${KEYWORD}`);
      await waitUntil(() => answers() > before, 'an answer to subscribe', { timeoutMs: 10_000 });
      if (!subscribed(2)) await pause(250);
    }
    await waitUntil(allBaselined, 'every feed to be polled and baselined again after the restart', { timeoutMs: 60_000, intervalMs: 200 });
    const rebaselineMs = Date.now() - upAt;
    // Let every feed be polled a few more times with nothing new: old items must stay quiet.
    const polls = server.requests.length;
    await waitUntil(() => server.requests.length >= polls + opts.feeds * 2, 'two more polls per feed', { timeoutMs: 30_000, intervalMs: 100 });
    for (let i = 0; i < opts.newAfter; i++) publish(1 + (i % (opts.feeds - 1)));
    await waitUntil(() => newTitles.every((t) => alerts().includes(t)), 'the new items after the restart', { timeoutMs: 60_000, intervalMs: 100 }).catch(() => undefined);

    const seen = alerts();
    const oldAlerts = seen.filter((t) => oldTitles.has(t)).length;
    const newDelivered = newTitles.filter((t) => seen.includes(t)).length;
    const duplicates = seen.length - new Set(seen).size;
    const line = figures('R3', {
      feeds: `${opts.feeds} × ${opts.itemsPerFeed} old items`,
      'alerts for old items': oldAlerts,
      'new items delivered': `${newDelivered}/${newTitles.length} (1 before, ${opts.newAfter} after the restart)`,
      duplicates,
      'every feed baselined again': `${secs(rebaselineMs)} after Redis came back`,
    });
    return { feeds: opts.feeds, oldItems: oldTitles.size, oldAlerts, newExpected: newTitles.length, newDelivered, duplicates, rebaselineMs, line };
  } finally {
    app?.kill('SIGKILL');
    await app?.exited;
    await side?.close().catch(() => undefined);
    await server.close();
    await redis.close();
  }
}
