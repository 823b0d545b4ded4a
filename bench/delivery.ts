import { performance } from 'node:perf_hooks';
import { createDiscordRest, createDiscordSender } from '../src/adapters/discord/sender.js';
import { createSlackSender, createSlackWebClient } from '../src/adapters/slack/sender.js';
import { loadConfig } from '../src/config/env.js';
import { destinationKey, type Destination } from '../src/core/destination.js';
import { storyFromItem } from '../src/core/story.js';
import { createLogger } from '../src/log.js';
import { createRuntime, type Runtime } from '../src/modes/runtime.js';
import { startWorkerRole } from '../src/modes/worker.js';
import { startFakeDiscord } from '../test/fakes/fake-discord.js';
import { startFakeSlack } from '../test/fakes/fake-slack.js';
import { startRedisServer } from '../test/support/redis-server.js';

/**
 * Delivery: alerts per second into FakeDiscord and FakeSlack through the real deliver workers
 * (ledger, rate limits handed back to the queue, Slack pacing), and what share of the rate the
 * platform's limits allow that was achieved, with the limit violations the fakes counted.
 *
 * Allowed rate: Discord 50 requests/s globally and 5 per 5 s per channel (so with 100 channels
 * the global limit binds: 50/s); Slack 1 message/s per channel after a burst of 3, so K alerts
 * into one channel need at least K - 3 seconds.
 */

const DISCORD_CHANNELS = 100;
const DISCORD_ALERTS = 1_500;
const DISCORD_GLOBAL_PER_SECOND = 50;
const SLACK_CHANNELS = 20;
const SLACK_ALERTS_PER_CHANNEL = 15;
const SLACK_BURST = 3;

async function enqueue(runtime: Runtime, platform: 'discord' | 'slack', dests: Destination[], total: number): Promise<void> {
  const now = new Date();
  for (let i = 0; i < total; i++) {
    const dest = dests[i % dests.length]!;
    const st = storyFromItem(
      { title: `Bench story ${i} about the harbour plan`, contentSnippet: `Lead of bench story ${i}.`, link: `https://bench.example/${platform}/${i}` },
      `url:bench.example/${platform}/${i}`,
      { id: 'bench', name: 'Bench' },
      now,
    );
    await runtime.ctx.stories.add(st);
    await runtime.ctx.queues.deliver[platform].add(
      { destination: destinationKey(dest), storyId: st.id, clusterId: st.id, topics: [{ topicId: 't', query: 'harbour', terms: ['harbour'] }] },
      { jobId: `bench-${platform}-${i}` },
    );
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('delivery bench timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const redis = await startRedisServer();
  const discordChannels = Array.from({ length: DISCORD_CHANNELS }, (_, i) => String(100_000_000_000_000_000n + BigInt(i)));
  const slackChannels = Array.from({ length: SLACK_CHANNELS }, (_, i) => `C0BENCH${i}`);
  const discord = await startFakeDiscord({ guilds: [{ id: '100', channels: discordChannels.map((id) => ({ id })) }] });
  const slack = await startFakeSlack({ channels: slackChannels.map((id) => ({ id })) });
  const log = createLogger({ level: 'silent', pretty: false });
  const config = loadConfig({ REDIS_URL: redis.url, REDIS_PREFIX: '{bench-delivery}', LOG_LEVEL: 'silent' });
  const runtime = await createRuntime(config, log);
  runtime.ctx.senders.discord = createDiscordSender(createDiscordRest({ token: discord.token, api: discord.apiBase }));
  runtime.ctx.senders.slack = createSlackSender(createSlackWebClient({ token: 'xoxb-test', apiUrl: slack.apiUrl, log }), { log });
  // Production timers: what an installation gets.
  const workers = startWorkerRole(runtime);
  try {
    // Discord: 1,500 alerts over 100 channels.
    const dDests = discordChannels.map((channelId): Destination => ({ platform: 'discord', workspaceId: '100', channelId }));
    await enqueue(runtime, 'discord', dDests, DISCORD_ALERTS);
    const visibleD = () => discordChannels.reduce((n, c) => n + discord.messages(c).length, 0);
    const d0 = performance.now();
    await until(() => visibleD() >= DISCORD_ALERTS, 180_000);
    const discordMs = performance.now() - d0;
    const discordRate = (DISCORD_ALERTS / discordMs) * 1000;

    // Slack: 15 alerts into each of 20 channels.
    const sDests = slackChannels.map((channelId): Destination => ({ platform: 'slack', workspaceId: 'T000001', channelId }));
    for (const d of sDests) {
      await runtime.ctx.subscriptions.subscribe(d, { id: 't', canonical: 'harbour' }, { id: 'U1' }, Date.now(), 25);
    }
    const slackTotal = SLACK_CHANNELS * SLACK_ALERTS_PER_CHANNEL;
    const s0 = performance.now();
    await enqueue(runtime, 'slack', sDests, slackTotal);
    const visibleS = () => slackChannels.reduce((n, c) => n + slack.messages(c).length, 0);
    await until(() => visibleS() >= slackTotal, 180_000);
    const slackMs = performance.now() - s0;
    const slackRate = (slackTotal / slackMs) * 1000;
    const slackMinMs = (SLACK_ALERTS_PER_CHANNEL - SLACK_BURST) * 1000;
    const slackAllowed = slackTotal / (slackMinMs / 1000);

    const figures = {
      discord: {
        alerts: DISCORD_ALERTS,
        channels: DISCORD_CHANNELS,
        seconds: Number((discordMs / 1000).toFixed(1)),
        alertsPerSecond: Number(discordRate.toFixed(1)),
        allowedPerSecond: DISCORD_GLOBAL_PER_SECOND,
        shareOfAllowed: Number((discordRate / DISCORD_GLOBAL_PER_SECOND).toFixed(2)),
        maxRequestsInOneSecond: discord.stats.maxGlobalPerSecond,
        invalidRequests: discord.stats.invalidRequests,
        earlyRequests: discord.stats.earlyRequests,
      },
      slack: {
        alerts: slackTotal,
        channels: SLACK_CHANNELS,
        seconds: Number((slackMs / 1000).toFixed(1)),
        alertsPerSecond: Number(slackRate.toFixed(1)),
        allowedPerSecond: Number(slackAllowed.toFixed(1)),
        shareOfAllowed: Number((slackRate / slackAllowed).toFixed(2)),
        maxPerChannelInOneSecond: slack.stats.maxPerChannelPerSecond,
        rateLimited: slack.stats.rateLimited,
        earlyRequests: slack.stats.earlyRequests,
      },
    };
    console.table([
      { platform: 'Discord', ...figures.discord },
      { platform: 'Slack', ...figures.slack },
    ]);
    console.log('Discord: the queue-wide limiter allows 2 requests per 50 ms (≤ 42 in any second), under the 50/s global limit; per-channel buckets 5 per 5 s.');
    console.log(`Slack: ${SLACK_ALERTS_PER_CHANNEL} alerts per channel at 1/s after a burst of ${SLACK_BURST} need ≥ ${slackMinMs / 1000} s; Newshound paces 1/s after a burst of 2.`);
    return figures;
  } finally {
    await workers.stop(1_000);
    await runtime.close();
    await discord.close();
    await slack.close();
    await redis.stop();
  }
}
