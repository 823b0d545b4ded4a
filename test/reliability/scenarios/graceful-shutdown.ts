/**
 * R4: SIGTERM to the real CLI worker while 10 deliveries are in flight (each request held by
 * FakeDiscord). Figures: time to exit, jobs left active (they would stall), `stalled` events, and
 * after a restart: alerts lost or shown twice.
 */
import { QueueEvents } from 'bullmq';
import { destinationKey } from '../../../src/core/destination.js';
import { storyFromItem } from '../../../src/core/story.js';
import type { Runtime } from '../../../src/modes/runtime.js';
import { startFakeDiscord } from '../../fakes/fake-discord.js';
import { figures, reliabilityPrefix, secs, startNewshound, storyText, type NewshoundProcess } from '../../support/reliability.js';
import { waitUntil } from '../../support/wait.js';
import { platformEnv, sideRuntime, unfinished } from './common.js';

/** RELIABILITY R4: 10 s of grace, then jobs are cancelled; the process is gone within 15 s. */
export const R4_EXIT_TARGET_MS = 15_000;
const IN_FLIGHT = 10;
const CHANNELS = Array.from({ length: IN_FLIGHT }, (_, i) => String(100_000_000_000_000_400n + BigInt(i)));

export interface R4Options {
  /** How long FakeDiscord holds each in-flight request: shorter than the grace, or longer. */
  holdMs: number;
  /** Jobs queued behind the in-flight ones when SIGTERM arrives. */
  waiting: number;
  /** Restart and check every alert arrives once (for `holdMs` beyond the grace this waits out production's 30 s lock). */
  restart: boolean;
}

export interface R4Result {
  exitMs: number;
  exitCode: number | null;
  leftActive: number;
  stalled: number;
  expected: number;
  delivered: number;
  duplicates: number;
  /** After the restart every job finished (none left active or waiting). */
  drained: boolean;
  line: string;
}

export async function runShutdownScenario(redisUrl: string, opts: R4Options): Promise<R4Result> {
  const discord = await startFakeDiscord({ guilds: [{ id: '100', channels: CHANNELS.map((id) => ({ id })) }] });
  const prefix = reliabilityPrefix();
  const side: Runtime = await sideRuntime(redisUrl, prefix);
  const queue = side.ctx.queues.deliver.discord.queue;
  const events = new QueueEvents(queue.name, { connection: { url: redisUrl }, prefix });
  let stalled = 0;
  events.on('stalled', () => stalled++);
  await events.waitUntilReady();
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, ...platformEnv(discord) };
  const processes: NewshoundProcess[] = [];
  try {
    let n = 0;
    const titles: string[] = [];
    const enqueue = async (channelId: string) => {
      const { title, lead } = storyText(500_000 + n, 'tiktok');
      const st = storyFromItem({ title, contentSnippet: lead, link: `https://news.example/r4/${n}` }, `url:news.example/r4/${prefix}/${n}`, { id: 'r4', name: 'Wire' }, new Date());
      n++;
      await side.ctx.stories.add(st);
      await side.ctx.queues.deliver.discord.add(
        { destination: destinationKey({ platform: 'discord', workspaceId: '100', channelId }), storyId: st.id, clusterId: st.id, topics: [{ topicId: 't', query: 'tiktok', terms: ['tiktok'] }] },
        { jobId: `r4-${n}` },
      );
      titles.push(`${channelId}/${title}`);
    };

    const first = startNewshound({ cli: 'worker' }, env);
    processes.push(first);
    discord.override({ method: 'POST', path: '/channels/:id/messages', times: IN_FLIGHT }, { kind: 'delay', ms: opts.holdMs });
    for (const c of CHANNELS) await enqueue(c);
    await waitUntil(() => discord.requests.filter((r) => r.method === 'POST' && r.status === undefined).length >= IN_FLIGHT, `${IN_FLIGHT} requests in flight`, { timeoutMs: 30_000, intervalMs: 10 });
    for (let i = 0; i < opts.waiting; i++) await enqueue(CHANNELS[i % CHANNELS.length]!);

    const termAt = Date.now();
    first.kill('SIGTERM');
    const exit = await first.exited;
    const exitMs = exit.at - termAt;
    const leftActive = (await queue.getActive()).length;

    let delivered = 0;
    let duplicates = 0;
    let drained = false;
    let drainMs = 0;
    const expected = titles.length;
    if (opts.restart) {
      processes.push(startNewshound({ cli: 'worker' }, env));
      const seen = () => CHANNELS.flatMap((c) => discord.messages(c).map((m) => `${c}/${String((m.embeds[0] as { title?: string }).title)}`));
      await waitUntil(() => new Set(seen()).size >= expected, 'every alert after the restart', { timeoutMs: 90_000, intervalMs: 50 }).catch(() => undefined);
      // Jobs cut short at shutdown come back once production's 30 s lock lapses and the stalled check (every 30 s) runs.
      const drainFrom = Date.now();
      drained = await waitUntil(async () => (await unfinished(queue)) === 0, 'the queue to drain', { timeoutMs: 120_000, intervalMs: 100 }).then(
        () => true,
        () => false,
      );
      drainMs = Date.now() - drainFrom;
      const all = seen();
      delivered = titles.filter((t) => all.includes(t)).length;
      duplicates = all.length - new Set(all).size;
    }
    const line = figures('R4', {
      'in flight at SIGTERM': IN_FLIGHT,
      'each held for': secs(opts.holdMs),
      exit: `${secs(exitMs)} (code ${exit.code}, target ≤ ${secs(R4_EXIT_TARGET_MS)})`,
      'jobs left active': leftActive,
      ...(opts.restart
        ? { 'after restart delivered': `${delivered}/${expected}`, lost: expected - delivered, duplicates, 'stalled events': stalled, 'queue drained': drained ? `after ${secs(drainMs)}` : 'no' }
        : {}),
    });
    return { exitMs, exitCode: exit.code, leftActive, stalled, expected, delivered, duplicates, drained, line };
  } finally {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await events.close();
    await side.close();
    await discord.close();
  }
}
