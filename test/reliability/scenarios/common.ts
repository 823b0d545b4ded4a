/** Wiring shared by the reliability scenarios: a test-side runtime on a given Redis and prefix, platform env. */
import type { Queue } from 'bullmq';
import { loadConfig } from '../../../src/config/env.js';
import { createLogger } from '../../../src/log.js';
import { createRuntime, type Runtime } from '../../../src/modes/runtime.js';
import type { FakeDiscord } from '../../fakes/fake-discord.js';
import type { FakeSlack } from '../../fakes/fake-slack.js';

export const SLACK_TOKEN = 'xoxb-test';
export const SLACK_SECRET = 'test-signing-secret';

/** The runtime the test itself uses (subscribe, add stories, look at queues) on `redisUrl` + `prefix`. */
export async function sideRuntime(redisUrl: string, prefix: string, env: Record<string, string> = {}): Promise<Runtime> {
  const config = loadConfig({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1', LOG_LEVEL: 'silent', SUMMARY_FETCH_ARTICLES: 'false', ...env });
  return await createRuntime(config, createLogger({ level: 'silent', pretty: false }));
}

/** Environment that points a Newshound process at FakeDiscord and/or FakeSlack. */
export function platformEnv(discord?: FakeDiscord, slack?: FakeSlack): Record<string, string> {
  return {
    ...(discord ? { DISCORD_TOKEN: discord.token, DISCORD_APP_ID: discord.appId, DISCORD_API_URL: discord.apiBase } : {}),
    ...(slack ? { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slack.apiUrl } : {}),
  };
}

/** Jobs not yet finished in a queue (waiting, active, delayed, prioritized, waiting for children). */
export async function unfinished(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** The scenario's own pause between two steps (a restart "after 1 s"), not a wait for something. */
export async function pause(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** A seeded random number generator in [0, 1), so a scenario's "random" points are reproducible. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s ^= s >>> 12;
    return (s >>> 0) / 2 ** 32;
  };
}
