/**
 * R1: deliveries to 2 Discord and 2 Slack channels while the worker process is SIGKILLed at
 * random points (some while a request to the fake platform is in flight) and restarted 1 s later.
 * Figures: delivered, lost, visible duplicates, `ambiguous_delivery` logs, kills, how long after
 * each restart deliveries resumed and the killed jobs were finished.
 */
import { Job, QueueEvents, type Queue } from 'bullmq';
import type { Destination } from '../../../src/core/destination.js';
import { storyFromItem } from '../../../src/core/story.js';
import { jobIds } from '../../../src/queues/job-ids.js';
import type { Runtime } from '../../../src/modes/runtime.js';
import { startFakeDiscord } from '../../fakes/fake-discord.js';
import { startFakeSlack } from '../../fakes/fake-slack.js';
import { figures, reliabilityPrefix, secs, startNewshound, storyText, type NewshoundProcess } from '../../support/reliability.js';
import { subscribe } from '../../support/subscriptions.js';
import { waitUntil } from '../../support/wait.js';
import { pause, platformEnv, seeded, sideRuntime, unfinished } from './common.js';

/** The timers of the test worker (test/support/reliability-worker.ts). */
const LOCK_MS = 3_000;
const STALLED_MS = 1_000;
/** RELIABILITY R1: everything flows again within lockDuration + 2·stalledInterval + 5 s of a restart. */
export const R1_RESUME_TARGET_MS = LOCK_MS + 2 * STALLED_MS + 5_000;
/** How long the scripted in-flight request is held by the fake (the worker dies meanwhile). */
const IN_FLIGHT_HOLD_MS = 1_500;
const DOWNTIME_MS = 1_000;

export interface R1Options {
  stories: number;
  kills: number;
  /** Kills made while a scripted request is in flight, alternating Discord and Slack. */
  inFlightKills: number;
  seed: number;
  /** Channels on each platform (default 2, as RELIABILITY R1 has it); each gets every story. */
  channelsPerPlatform?: number;
}

export interface R1Result {
  expected: number;
  delivered: number;
  lost: number;
  duplicates: { discord: number; slack: number };
  ambiguous: number;
  failedJobs: number;
  kills: Array<{
    inFlight?: 'discord' | 'slack';
    /** Restart until the first new delivery. */
    resumeMs: number;
    /** Jobs the kill cut short (active at the kill). */
    cutShort: number;
    /** Restart until the last of them was back in the queue (BullMQ `stalled`). */
    requeuedMs: number;
    /** Restart until the last of their alerts was visible (≤ 0: it went out before the worker died). */
    visibleMs: number;
  }>;
  totalMs: number;
  line: string;
}

/** Snowflake-sized ids: discord.js keys rate-limit buckets by channel only for 17-19 digit ids. */
const discordChannels = (n: number) => Array.from({ length: n }, (_, i) => `1000000000000002${String(i + 1).padStart(2, '0')}`);
const slackChannels = (n: number) => Array.from({ length: n }, (_, i) => `C0R1${String.fromCharCode(65 + i)}`);
const KEYWORD = 'tiktok';

export async function runWorkerCrashScenario(redisUrl: string, opts: R1Options): Promise<R1Result> {
  const random = seeded(opts.seed);
  const DISCORD_CHANNELS = discordChannels(opts.channelsPerPlatform ?? 2);
  const SLACK_CHANNELS = slackChannels(opts.channelsPerPlatform ?? 2);
  const discord = await startFakeDiscord({ guilds: [{ id: '100', channels: DISCORD_CHANNELS.map((id) => ({ id })) }] });
  const slack = await startFakeSlack({ channels: SLACK_CHANNELS.map((id) => ({ id })) });
  const prefix = reliabilityPrefix();
  const side: Runtime = await sideRuntime(redisUrl, prefix);
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, ...platformEnv(discord, slack) };
  const processes: NewshoundProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  let worker: NewshoundProcess | undefined;
  try {
    const dests: Destination[] = [
      ...DISCORD_CHANNELS.map((channelId): Destination => ({ platform: 'discord', workspaceId: '100', channelId })),
      ...SLACK_CHANNELS.map((channelId): Destination => ({ platform: 'slack', workspaceId: 'T000001', channelId })),
    ];
    for (const d of dests) await subscribe(side.ctx.subscriptions, d, KEYWORD);

    // Stories as the poll worker hands them over: stored, then one match job each.
    const now = new Date();
    const storyIds: string[] = [];
    for (let i = 0; i < opts.stories; i++) {
      const { title, lead } = storyText(opts.seed * 100_000 + i, KEYWORD);
      const st = storyFromItem({ title, contentSnippet: lead, link: `https://news.example/r1/${opts.seed}/${i}`, isoDate: now.toISOString() }, `url:news.example/r1/${opts.seed}/${i}`, { id: 'r1-feed', name: 'Wire' }, now);
      await side.ctx.stories.add(st);
      storyIds.push(st.id);
    }
    const expected = opts.stories * dests.length;
    const visible = () =>
      DISCORD_CHANNELS.reduce((n, c) => n + discord.messages(c).length, 0) + SLACK_CHANNELS.reduce((n, c) => n + slack.messages(c).length, 0);
    const queues: Array<[name: 'match' | 'discord' | 'slack', queue: Queue]> = [
      ['match', side.ctx.queues.match.queue],
      ['discord', side.ctx.queues.deliver.discord.queue],
      ['slack', side.ctx.queues.deliver.slack.queue],
    ];

    // When each job cut short by a kill is back in the queue: BullMQ's `stalled` event.
    const stalledAt = new Map<string, number>();
    for (const [name, q] of queues) {
      const events = new QueueEvents(q.name, { connection: { url: redisUrl }, prefix });
      events.on('stalled', ({ jobId }) => stalledAt.set(`${name}:${jobId}`, Date.now()));
      await events.waitUntilReady();
      closers.push(() => events.close());
    }

    const t0 = Date.now();
    worker = startNewshound({ testWorker: true }, env);
    processes.push(worker);
    await side.ctx.queues.match.addBulk(storyIds.map((storyId) => ({ payload: { storyId, feedId: 'r1-feed' }, opts: { jobId: jobIds.match('r1-feed', storyId) } })));

    const kills: R1Result['kills'] = [];
    const cutShort: Array<{ restartAt: number; jobs: Array<{ name: 'match' | 'discord' | 'slack'; queue: Queue; id: string }> }> = [];
    for (let k = 0; k < opts.kills; k++) {
      // Kill points spread over the run, each at a random spot in its share.
      const target = Math.floor((expected * 0.85 * (k + 0.2 + 0.8 * random())) / opts.kills);
      await waitUntil(() => visible() >= target, `${target} deliveries before kill ${k + 1}`, { timeoutMs: 180_000, intervalMs: 20 });
      let inFlight: 'discord' | 'slack' | undefined;
      if (k < opts.inFlightKills) {
        inFlight = k % 2 === 0 ? 'discord' : 'slack';
        if (inFlight === 'discord') {
          const from = discord.requests.length;
          discord.override({ method: 'POST', path: '/channels/:id/messages', times: 1 }, { kind: 'delay', ms: IN_FLIGHT_HOLD_MS });
          await waitUntil(
            () => discord.requests.slice(from).find((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status === undefined),
            'a Discord post held in flight',
            { timeoutMs: 30_000, intervalMs: 5 },
          );
        } else {
          const from = slack.calls.length;
          slack.override({ method: 'chat.postMessage', times: 1 }, { kind: 'delay', ms: IN_FLIGHT_HOLD_MS });
          await waitUntil(() => slack.calls.slice(from).find((c) => c.method === 'chat.postMessage' && c.response === undefined), 'a Slack post held in flight', { timeoutMs: 30_000, intervalMs: 5 });
        }
      }
      worker.kill('SIGKILL');
      await worker.exited;
      const active = (await Promise.all(queues.map(async ([name, q]) => (await q.getActive()).map((j) => ({ name, queue: q, id: j.id! }))))).flat();
      await pause(DOWNTIME_MS);
      const delivered = visible();
      worker = startNewshound({ testWorker: true }, env);
      processes.push(worker);
      const restartAt = Date.now();
      await waitUntil(() => visible() > delivered || visible() >= expected, `deliveries to resume after kill ${k + 1}`, { timeoutMs: 60_000, intervalMs: 20 });
      kills.push({ inFlight, resumeMs: Date.now() - restartAt, cutShort: active.length, requeuedMs: 0, visibleMs: 0 });
      cutShort.push({ restartAt, jobs: active });
    }

    await waitUntil(() => visible() >= expected, `${expected} deliveries`, { timeoutMs: opts.stories * 1_500 + 60_000, intervalMs: 50 });
    // Nothing may be left that could still post (a late duplicate would show up here).
    await waitUntil(async () => (await Promise.all(queues.map(([, q]) => unfinished(q)))).every((n) => n === 0), 'every queue to drain', { timeoutMs: 60_000, intervalMs: 100 });
    const totalMs = Date.now() - t0;

    // When the alert of a (channel, story) became visible on the fake.
    const titleOf = new Map((await side.ctx.stories.getMany(storyIds)).map((st, i) => [st?.title, storyIds[i]]));
    const visibleAt = new Map<string, number>();
    for (const c of DISCORD_CHANNELS) {
      for (const m of discord.messages(c)) visibleAt.set(`discord:100:${c}/${titleOf.get((m.embeds[0] as { title?: string }).title)}`, Date.parse(m.timestamp));
    }
    for (const c of SLACK_CHANNELS) {
      for (const m of slack.messages(c)) visibleAt.set(`slack:T000001:${c}/${String(m.metadata?.event_payload.story_id)}`, Number(m.ts) * 1000);
    }
    for (const [i, { restartAt, jobs }] of cutShort.entries()) {
      const kill = kills[i]!;
      kill.requeuedMs = Math.max(0, ...jobs.map((j) => (stalledAt.get(`${j.name}:${j.id}`) ?? Number.POSITIVE_INFINITY) - restartAt));
      for (const j of jobs.filter((x) => x.name !== 'match')) {
        const data = (await Job.fromId(j.queue, j.id))?.data as { destination: string; storyId: string } | undefined;
        const at = data && visibleAt.get(`${data.destination}/${data.storyId}`);
        kill.visibleMs = Math.max(kill.visibleMs, at === undefined ? Number.POSITIVE_INFINITY : at - restartAt);
      }
    }

    // Visible duplicates: two messages for one (story, channel). Discord by nonce, Slack by metadata key.
    let discordDup = 0;
    let slackDup = 0;
    let delivered = 0;
    for (const c of DISCORD_CHANNELS) {
      const msgs = discord.messages(c);
      const unique = new Set(msgs.map((m) => JSON.stringify((m.embeds[0] as { title?: string } | undefined)?.title)));
      discordDup += msgs.length - unique.size;
      delivered += unique.size;
    }
    for (const c of SLACK_CHANNELS) {
      const msgs = slack.messages(c);
      const unique = new Set(msgs.map((m) => String(m.metadata?.event_payload.story_id)));
      slackDup += msgs.length - unique.size;
      delivered += unique.size;
    }
    const failedJobs = (await Promise.all(queues.map(async ([, q]) => (await q.getJobCounts('failed')).failed ?? 0))).reduce((a, b) => a + b, 0);
    const ambiguous = processes.reduce((n, p) => n + p.logged('ambiguous_delivery').length, 0);
    const maxOf = (pick: (k: R1Result['kills'][number]) => number | undefined) => Math.max(0, ...kills.map(pick).filter((v): v is number => v !== undefined));
    const line = figures('R1', {
      delivered: `${delivered}/${expected}`,
      lost: expected - delivered,
      duplicates: `${discordDup + slackDup} (Discord ${discordDup}, Slack ${slackDup})`,
      ambiguous_delivery: ambiguous,
      'failed jobs': failedJobs,
      kills: `${kills.length} (${kills.filter((k) => k.inFlight).length} with a request in flight)`,
      'jobs cut short': kills.map((k) => k.cutShort).join('+'),
      'resume max': secs(maxOf((k) => k.resumeMs)),
      'cut-short jobs back in the queue, max': `${secs(maxOf((k) => k.requeuedMs))} after restart (target ≤ ${secs(R1_RESUME_TARGET_MS)})`,
      'their alerts visible, max': `${secs(maxOf((k) => k.visibleMs))} after restart`,
      total: secs(totalMs),
    });
    return { expected, delivered, lost: expected - delivered, duplicates: { discord: discordDup, slack: slackDup }, ambiguous, failedJobs, kills, totalMs, line };
  } finally {
    for (const close of closers) await close();
    worker?.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await side.close();
    await discord.close();
    await slack.close();
  }
}
