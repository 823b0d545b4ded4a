import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import Parser from 'rss-parser';
import { loadConfig } from '../src/config/env.js';
import { feedIdFor, type FeedDefinition } from '../src/core/feed.js';
import { createLogger } from '../src/log.js';
import { createRuntime, type Runtime } from '../src/modes/runtime.js';
import { startWorkers } from '../src/queues/worker.js';
import pollWorker from '../workers/poll.worker.js';
import { startRedisServer } from '../test/support/redis-server.js';

/**
 * Ingest: one full poll round over N local feeds (N = 200 and 2,000) through the real poll
 * worker (BullMQ, conditional GET, repair + rss-parser, seen check, story store), next to what
 * simple bots do: a loop calling rss-parser's `parseURL` for each feed. Two rounds for
 * Newshound: every feed changed (200 with a body, one new item each) and nothing changed (304).
 * The loop has no conditional GET, so it downloads and parses every feed either way.
 *
 * The feeds are served by a plain HTTP server in a worker thread (its own event loop), 20 items
 * and about 20 kB each, like a typical news feed. Two network conditions: bare loopback (one
 * host, answers in microseconds: only CPU counts), and answers after 50 ms (a typical
 * time-to-first-byte of a news site) with the feeds spread over 50 hosts (ports).
 */

const SIZES = [200, 2_000];
const NETWORKS = [
  { name: 'loopback, 1 host', latencyMs: 0, hosts: 1 },
  { name: '50 ms to first byte, 50 hosts', latencyMs: 50, hosts: 50 },
];
/** With latency the loop is timed on this many feeds (it is sequential: its rate does not depend on N). */
const LOOP_SAMPLE_WITH_LATENCY = 200;
const ITEMS_PER_FEED = 20;
const TARGET_RATIO_AT_2000 = 10;

// ---- the feed server (runs in a worker thread) ----

/**
 * The server thread's code, plain JavaScript (worker threads do not get the TypeScript loader).
 * Feed i at version v lists items v .. v+19 of that feed: each bump adds one item to every feed.
 */
const FEED_SERVER_JS = `
const { createServer } = require('node:http');
const { createHash } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const { count, itemsPerFeed, latencyMs, hosts } = workerData;
let version = 0;
let requests = 0;
let notModified = 0;
const cache = new Map();
function feedXml(i, v) {
  const items = [];
  for (let k = 0; k < itemsPerFeed; k++) {
    const n = v + itemsPerFeed - 1 - k;
    const title = 'Council ' + i + ' approves harbour plan ' + n + ' after long debate over budget and schedule';
    const lead = ('Lead paragraph of story ' + n + ' from feed ' + i + ': the council met on Tuesday and voted on the plan. ').repeat(9);
    items.push('<item><title>' + title + '</title><link>https://bench.example/' + i + '/' + n + '</link><guid isPermaLink="false">b-' + i + '-' + n + '</guid>' +
      '<pubDate>' + new Date(Date.UTC(2026, 10, 1) + n * 60000).toUTCString() + '</pubDate><description>' + lead + '</description></item>');
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\\n<rss version="2.0"><channel><title>Bench feed ' + i + '</title><link>https://bench.example/' + i + '</link>\\n' + items.join('\\n') + '\\n</channel></rss>\\n';
}
const handler = (req, res) => {
  requests++;
  if (latencyMs > 0) setTimeout(() => answer(req, res), latencyMs);
  else answer(req, res);
};
const answer = (req, res) => {
  const m = /^\\/feed\\/(\\d+)\\.xml$/.exec(req.url || '');
  const i = m ? Number(m[1]) : -1;
  if (!(i >= 0 && i < count)) { res.writeHead(404).end(); return; }
  let entry = cache.get(i);
  if (!entry || entry.version !== version) {
    const body = Buffer.from(feedXml(i, version));
    entry = { version, body, etag: '"' + createHash('sha1').update(body).digest('hex').slice(0, 16) + '"' };
    cache.set(i, entry);
  }
  if (req.headers['if-none-match'] === entry.etag) { notModified++; res.writeHead(304, { etag: entry.etag }).end(); return; }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: entry.etag, 'content-length': String(entry.body.length) }).end(entry.body);
};
const ports = [];
for (let h = 0; h < hosts; h++) {
  const server = createServer(handler);
  server.keepAliveTimeout = 30000;
  server.listen(0, '127.0.0.1', () => {
    ports.push(server.address().port);
    if (ports.length === hosts) parentPort.postMessage({ type: 'ready', ports });
  });
}
parentPort.on('message', (m) => {
  if (m.type === 'bump') { version++; parentPort.postMessage({ type: 'bumped' }); }
  else parentPort.postMessage({ type: 'stats', requests, notModified });
});
`;

/** The feed server thread, as the benches use it. */
export interface FeedServer {
  url(i: number): string;
  /** Every feed gets one new item (and a new ETag). */
  bump(): Promise<void>;
  stats(): Promise<{ requests: number; notModified: number }>;
  close(): Promise<void>;
}

/**
 * Starts `count` feeds (20 items, ~20 kB each) on plain HTTP servers in a worker thread (its own
 * event loop): feed i on host (port) i mod `hosts`, each answer `latencyMs` after the request.
 */
export async function startFeedServer(count: number, opts: { latencyMs?: number; hosts?: number } = {}): Promise<FeedServer> {
  const worker = new Worker(FEED_SERVER_JS, { eval: true, workerData: { count, itemsPerFeed: ITEMS_PER_FEED, latencyMs: opts.latencyMs ?? 0, hosts: opts.hosts ?? 1 } });
  let failed: Error | undefined;
  const failures = new Set<(err: Error) => void>();
  worker.on('error', (err) => {
    failed = err;
    for (const f of failures) f(err);
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      if (failed) return reject(failed);
      failures.add(reject);
      const on = (m: { type: string } & T) => {
        if (m.type !== type) return;
        worker.off('message', on);
        failures.delete(reject);
        resolve(m);
      };
      worker.on('message', on);
    });
  const { ports } = await next<{ ports: number[] }>('ready');
  return {
    url: (i) => `http://127.0.0.1:${ports[i % ports.length]}/feed/${i}.xml`,
    async bump() {
      const done = next('bumped');
      worker.postMessage({ type: 'bump' });
      await done;
    },
    async stats() {
      const done = next<{ requests: number; notModified: number }>('stats');
      worker.postMessage({ type: 'stats' });
      return await done;
    },
    async close() {
      await worker.terminate();
    },
  };
}

// ---- the bench ----

/** Feeds are polled every second: a worker skips a feed polled less than half an interval ago. */
const INTERVAL_SECONDS = 1;

/**
 * Runs one poll round of every feed through the poll worker; resolves with its duration in ms.
 * Every poll must have ended as `expected` (checked on the jobs BullMQ keeps, the newest 1,000).
 */
async function pollRound(runtime: Runtime, feedIds: string[], round: string, expected: string): Promise<number> {
  const queue = runtime.ctx.queues.poll;
  // The previous round's polls must be at least half an interval old.
  await new Promise((r) => setTimeout(r, INTERVAL_SECONDS * 600));
  const t0 = performance.now();
  for (let i = 0; i < feedIds.length; i += 500) {
    await queue.addBulk(feedIds.slice(i, i + 500).map((feedId) => ({ payload: { feedId }, opts: { jobId: `${round}-${feedId}` } })));
  }
  for (;;) {
    const c = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(c).every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  const jobs = (await queue.queue.getJobs(['completed', 'failed'], 0, -1)).filter((j) => j.id?.startsWith(`${round}-`));
  const wrong = jobs.filter((j) => (j.returnvalue as { outcome?: string } | null)?.outcome !== expected);
  if (jobs.length === 0 || wrong.length > 0) throw new Error(`ingest bench: ${wrong.length} of ${jobs.length} polls of round ${round} did not end as ${expected}: ${JSON.stringify(wrong[0]?.returnvalue ?? wrong[0]?.failedReason)}`);
  return ms;
}

/** Feeds per second of a loop calling rss-parser's parseURL for each feed in turn. */
async function rssParserLoop(server: FeedServer, count: number): Promise<{ perSecond: number; items: number; timed: number }> {
  const parser = new Parser({ timeout: 20_000 });
  let items = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) items += (await parser.parseURL(server.url(i))).items.length;
  return { perSecond: (count / (performance.now() - t0)) * 1000, items, timed: count };
}

interface SizeResult {
  network: string;
  feeds: number;
  newshound200PerSecond: number;
  newshound304PerSecond: number;
  rssParserPerSecond: number;
  ratio200: number;
  ratio304: number;
  baselineSeconds: number;
  notModifiedShare: number;
  loopTimedOn: number;
}

async function measure(feeds: number, network: (typeof NETWORKS)[number]): Promise<SizeResult> {
  const redis = await startRedisServer();
  const server = await startFeedServer(feeds, network);
  const config = loadConfig({ REDIS_URL: redis.url, REDIS_PREFIX: '{bench-ingest}', FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1', LOG_LEVEL: 'silent', SUMMARY_FETCH_ARTICLES: 'false' });
  const runtime = await createRuntime(config, createLogger({ level: 'silent', pretty: false }));
  // Only the poll worker: matching and delivery come after ingest and are measured elsewhere.
  const workers = startWorkers([pollWorker], runtime.ctx, runtime.ctx.redis);
  try {
    const defs: FeedDefinition[] = Array.from({ length: feeds }, (_, i) => ({ id: feedIdFor(server.url(i)), url: server.url(i), name: `Bench ${i}`, intervalSeconds: INTERVAL_SECONDS }));
    for (const d of defs) await runtime.ctx.feeds.upsert(d);
    const ids = defs.map((d) => d.id);
    // First poll: the baseline (every item stored). Not the steady state, so reported apart.
    const baselineMs = await pollRound(runtime, ids, 'baseline', 'ok');
    await server.bump();
    const changedMs = await pollRound(runtime, ids, 'changed', 'ok');
    const before = await server.stats();
    const unchangedMs = await pollRound(runtime, ids, 'unchanged', 'not-modified');
    const after = await server.stats();
    const loop = await rssParserLoop(server, network.latencyMs > 0 ? Math.min(feeds, LOOP_SAMPLE_WITH_LATENCY) : feeds);
    const result = {
      network: network.name,
      feeds,
      newshound200PerSecond: Math.round((feeds / changedMs) * 1000),
      newshound304PerSecond: Math.round((feeds / unchangedMs) * 1000),
      rssParserPerSecond: Math.round(loop.perSecond),
      ratio200: 0,
      ratio304: 0,
      baselineSeconds: Number((baselineMs / 1000).toFixed(1)),
      notModifiedShare: (after.notModified - before.notModified) / (after.requests - before.requests),
      loopTimedOn: loop.timed,
    };
    result.ratio200 = Number((result.newshound200PerSecond / result.rssParserPerSecond).toFixed(1));
    result.ratio304 = Number((result.newshound304PerSecond / result.rssParserPerSecond).toFixed(1));
    return result;
  } finally {
    await workers.stop(1_000);
    await runtime.close();
    await server.close();
    await redis.stop();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const rows: SizeResult[] = [];
  for (const network of NETWORKS) for (const n of SIZES) rows.push(await measure(n, network));
  console.table(
    rows.map((r) => ({
      network: r.network,
      feeds: r.feeds,
      'Newshound 200 feeds/s': r.newshound200PerSecond,
      'Newshound 304 feeds/s': r.newshound304PerSecond,
      'rss-parser loop feeds/s': r.rssParserPerSecond,
      'ratio 200': `${r.ratio200}×`,
      'ratio 304': `${r.ratio304}×`,
      'first poll s': r.baselineSeconds,
    })),
  );
  for (const r of rows.filter((x) => x.feeds === 2_000)) {
    const verdict = (ratio: number) => `${ratio > TARGET_RATIO_AT_2000 ? 'met' : 'NOT met'} (${ratio}×)`;
    console.log(`target > ${TARGET_RATIO_AT_2000}× the rss-parser loop at 2,000 feeds, ${r.network}: unchanged feeds (304) ${verdict(r.ratio304)}, changed feeds (200) ${verdict(r.ratio200)}`);
  }
  console.log(`Newshound: the poll worker (BullMQ, concurrency ${pollWorker.concurrency}, at most 2 connections per host) in this process, one round of every feed;`);
  console.log('  200 = every feed changed (one new item each: fetch, repair, parse, seen check, store); 304 = nothing changed (conditional GET).');
  console.log(`rss-parser loop: parseURL for each feed in turn (no conditional GET: a full download and parse every time); with latency timed on ${LOOP_SAMPLE_WITH_LATENCY} feeds.`);
  console.log(`${ITEMS_PER_FEED} items, ~20 kB per feed. First poll: the baseline round (every item stored), not steady state.`);
  return { itemsPerFeed: ITEMS_PER_FEED, targetRatioAt2000: TARGET_RATIO_AT_2000, rows };
}
