import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/console/console.js';
import { destinationKey, type Destination } from '../../src/core/destination.js';
import { feedIdFor } from '../../src/core/feed.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import { deliverAlert, QUIET_BUCKET } from '../../src/delivery/deliver.js';
import { sendDigest } from '../../src/delivery/digest.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { createDigestSchedules } from '../../src/queues/digest-schedule.js';
import { jobIds } from '../../src/queues/job-ids.js';
import type { DeliverJob } from '../../src/queues/payloads.js';
import { OPERATOR_OWNER } from '../../src/queues/scheduler.js';
import type { JobRun } from '../../src/queues/worker.js';
import { matchStory } from '../../workers/match.worker.js';
import { subscribe } from '../support/subscriptions.js';
import { testRuntime } from '../support/runtime.js';

let runtime: Runtime;
let output: string;
let clock: number;
const dest: Destination = { platform: 'console', workspaceId: 'local', channelId: 'c1' };
const destKey = destinationKey(dest);

/** A JobRun for calling processors directly: delays are recorded, never slept. */
const delays: number[] = [];
const run: JobRun = {
  job: {} as JobRun['job'],
  signal: new AbortController().signal,
  async delayJob(ms) {
    delays.push(ms);
    throw new Error(`delayed ${ms}`);
  },
  async rateLimitQueue(ms) {
    throw new Error(`rate limited ${ms}`);
  },
};

beforeEach(async () => {
  runtime = await testRuntime();
  output = '';
  clock = DateTime.fromISO('2025-03-10T12:00', { zone: 'UTC' }).toMillis();
  runtime.ctx.now = () => clock;
  runtime.ctx.senders.console = createConsoleSender((t) => (output += t));
  for (const f of ['A', 'B', 'C', 'D']) await runtime.ctx.feeds.addOwner(feedIdFor(f), OPERATOR_OWNER);
});
afterEach(async () => {
  await runtime.close();
});

let n = 0;
async function story(title: string, source: string, lead: string): Promise<Story> {
  const s = storyFromItem({ title, contentSnippet: lead, link: `https://news.example/${++n}`, isoDate: new Date(clock).toISOString() }, `url:news.example/${n}`, { id: feedIdFor(source), name: source }, new Date(clock));
  await runtime.ctx.stories.add(s);
  return s;
}

async function deliveries(): Promise<DeliverJob[]> {
  return (await runtime.ctx.queues.deliver.console.queue.getJobs(['waiting', 'delayed'])).map((j) => j.data as DeliverJob);
}

const count = (needle: string) => output.split(needle).length - 1;
/** Leads that differ enough per subject not to cluster, and are identical for one subject (agency copy). */
const LEADS: Record<string, string> = {
  chile: 'A small volcano in southern Chile rumbled overnight, geologists said, but no evacuation was ordered for nearby villages.',
  etna: 'The Etna volcano erupted on Monday, covering Catania airport in ash and forcing the cancellation of dozens of flights across Sicily.',
  iceland: 'Authorities in Iceland raised the alert level for the volcano near Grindavik after a swarm of earthquakes shook the peninsula.',
  norway: 'Fine volcano ash drifted over western Norway on Tuesday, and meteorologists warned asthma patients to stay indoors.',
  museum: 'A museum dedicated to the volcano Vesuvius opened in Naples, showing casts and maps from the eruption of 79 AD.',
};
const lead = (subject: keyof typeof LEADS) => LEADS[subject]!;

describe('digests', () => {
  it('holds digest topics, sends one message ranked by outlets, and never repeats a story', async () => {
    const sub = await subscribe(runtime.ctx.subscriptions, dest, 'volcano');
    if (sub.status !== 'added') throw new Error('unreachable');
    await runtime.ctx.subscriptions.setMode(dest, sub.subscription.topicId, { kind: 'hourly' });
    const quiet = await story('Small volcano rumbles in Chile', 'A', lead('chile'));
    const big1 = await story('Etna eruption closes Catania airport', 'A', lead('etna'));
    const big2 = await story('Catania airport shut as Etna erupts', 'B', lead('etna'));
    for (const s of [quiet, big1, big2]) await matchStory(s.id, s.feedId, runtime.ctx);
    expect(await deliveries()).toEqual([]);
    expect((await runtime.ctx.channels.held(destKey, 'hourly')).map((h) => h.storyId).sort()).toEqual([quiet.id, big1.id, big2.id].sort());

    const first = await sendDigest({ destination: destKey, bucket: 'hourly' }, runtime.ctx, run);
    expect(first).toMatchObject({ outcome: 'posted', stories: 2 });
    expect(count('Hourly digest: 2 stories')).toBe(1);
    // The story two outlets covered comes first, naming the other outlet.
    expect(output.indexOf('Etna')).toBeLessThan(output.indexOf('Small volcano'));
    expect(output).toMatch(/also reported by B|also reported by A/);

    // A third outlet's copy of the Etna story later: it was in a digest already, so it is not repeated.
    const big3 = await story('Etna: airport in Catania closed', 'C', lead('etna'));
    await matchStory(big3.id, big3.feedId, runtime.ctx);
    expect(await sendDigest({ destination: destKey, bucket: 'hourly' }, runtime.ctx, run)).toEqual({ outcome: 'empty' });
    expect(count('digest')).toBe(1);
  });

  it('keeps one cron schedule per channel and bucket in the channel’s time zone, and removes unused ones', async () => {
    const schedules = createDigestSchedules(runtime.ctx.redis, runtime.ctx.keys, runtime.ctx.queues, runtime.ctx.subscriptions, runtime.ctx.channels);
    const sub = await subscribe(runtime.ctx.subscriptions, dest, 'ukraine');
    if (sub.status !== 'added') throw new Error('unreachable');
    await runtime.ctx.channels.update(dest, { timeZone: 'Europe/Berlin' });
    await runtime.ctx.subscriptions.setMode(dest, sub.subscription.topicId, { kind: 'daily', at: '07:30' });
    await schedules.sync(dest);
    await schedules.sync(dest);
    const scheduler = await runtime.ctx.queues.digest.queue.getJobScheduler(jobIds.digestScheduler(destKey, 'daily-0730'));
    expect(scheduler).toMatchObject({ pattern: '30 7 * * *', tz: 'Europe/Berlin' });
    expect(await runtime.ctx.queues.digest.queue.getJobSchedulersCount()).toBe(1);
    await runtime.ctx.subscriptions.setMode(dest, sub.subscription.topicId, { kind: 'instant' });
    await schedules.sync(dest);
    expect(await runtime.ctx.queues.digest.queue.getJobSchedulersCount()).toBe(0);
  });
});

describe('quiet hours', () => {
  it('posts nothing inside the window and one catch-up message when it ends', async () => {
    await runtime.ctx.channels.update(dest, { quiet: { start: '22:00', end: '07:00' }, timeZone: 'Europe/Berlin' });
    await subscribe(runtime.ctx.subscriptions, dest, 'volcano');
    clock = DateTime.fromISO('2025-03-10T23:30', { zone: 'Europe/Berlin' }).toMillis();
    const night = [await story('Volcano alert in Iceland', 'A', lead('iceland')), await story('Volcano ash reaches Norway', 'B', lead('norway'))];
    for (const s of night) await matchStory(s.id, s.feedId, runtime.ctx);
    const ends = DateTime.fromISO('2025-03-11T07:00', { zone: 'Europe/Berlin' }).toMillis();
    const jobs = await deliveries();
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(await deliverAlert(job, runtime.ctx, run, runtime.ctx.senders.console)).toEqual({ outcome: 'held', until: ends });
    expect(output).toBe('');
    const catchUp = (await runtime.ctx.queues.digest.queue.getJobs(['delayed'])).map((j) => ({ data: j.data as unknown, due: j.timestamp + (j.opts.delay ?? 0) }));
    expect(catchUp).toHaveLength(1);
    expect(catchUp[0]!.data).toEqual({ destination: destKey, bucket: QUIET_BUCKET });

    clock = ends;
    expect(await sendDigest({ destination: destKey, bucket: QUIET_BUCKET }, runtime.ctx, run)).toMatchObject({ outcome: 'posted', stories: 2 });
    expect(count('While it was quiet: 2 stories')).toBe(1);
  });
});

describe('breaking escalation', () => {
  /** Matches a story and delivers its one job to the channel. */
  const deliver = async (s: Story) => {
    await matchStory(s.id, s.feedId, runtime.ctx);
    const jobs = (await deliveries()).filter((job) => job.storyId === s.id);
    expect(jobs).toHaveLength(1);
    await deliverAlert(jobs[0]!, runtime.ctx, run, runtime.ctx.senders.console);
  };

  it('mentions the role once, only when enough outlets report one story in time', async () => {
    await runtime.ctx.channels.update(dest, { breaking: { mention: 'R123', outlets: 3, minutes: 30 } });
    await subscribe(runtime.ctx.subscriptions, dest, 'etna OR volcano');
    await deliver(await story('Etna erupts, Catania airport closed', 'A', lead('etna')));
    clock += 5 * 60_000;
    await deliver(await story('Catania airport shut as Etna erupts', 'B', lead('etna')));
    expect(output).not.toContain('@R123');
    clock += 5 * 60_000;
    await deliver(await story('Etna: flights cancelled in Catania', 'C', lead('etna')));
    expect(count('@R123')).toBe(1);
    expect(output).toContain('Breaking: 3 outlets in 10 min');
    clock += 5 * 60_000;
    await deliver(await story('Etna eruption keeps Catania airport closed', 'D', lead('etna')));
    expect(count('@R123')).toBe(1);
    // A story only two outlets report never mentions anyone.
    await deliver(await story('Volcano museum opens in Naples', 'A', lead('museum')));
    await deliver(await story('Naples opens volcano museum', 'B', lead('museum')));
    expect(count('@R123')).toBe(1);
  });

  it('does not mention anyone when the third outlet reports after the window', async () => {
    await runtime.ctx.channels.update(dest, { breaking: { mention: 'R123', outlets: 3, minutes: 30 } });
    await subscribe(runtime.ctx.subscriptions, dest, 'volcano');
    await deliver(await story('Chilean volcano rumbles', 'A', lead('chile')));
    clock += 20 * 60_000;
    await deliver(await story('Volcano in Chile rumbles overnight', 'B', lead('chile')));
    clock += 15 * 60_000;
    await deliver(await story('Southern Chile volcano active, no evacuation', 'C', lead('chile')));
    expect(output).toContain('also reported by B, C');
    expect(count('@R123')).toBe(0);
  });
});
