/**
 * A worker process for the reliability tests, run as `node --import tsx test/support/reliability-worker.ts`.
 * It is `newshound start --role worker` with the test's shorter BullMQ timers (RELIABILITY.md:
 * lockDuration 3000, stalledInterval 1000, drainDelay 1), so a SIGKILLed worker's jobs come back
 * in seconds instead of production's 30-60 s. Configuration comes from the environment exactly
 * as for the CLI; `NH_TEST_LOCK_MS`, `NH_TEST_STALLED_MS`, `NH_TEST_DRAIN_DELAY_S` and
 * `NH_TEST_GRACE_MS` override the timers and the shutdown grace. SIGTERM stops it as main.ts does.
 */
import { createDiscordRest, createDiscordSender } from '../../src/adapters/discord/sender.js';
import { createSlackSender, createSlackWebClient } from '../../src/adapters/slack/sender.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { createRuntime } from '../../src/modes/runtime.js';
import { startWorkerRole } from '../../src/modes/worker.js';

const numberFrom = (name: string, fallback: number): number => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
};

const config = loadConfig();
const log = createLogger({ level: config.LOG_LEVEL, pretty: false });
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

const runtime = await createRuntime(config, log);
if (config.DISCORD_TOKEN !== undefined) {
  runtime.ctx.senders.discord = createDiscordSender(createDiscordRest({ token: config.DISCORD_TOKEN, api: config.DISCORD_API_URL ?? 'https://discord.com/api' }));
  await runtime.ctx.queues.deliver.discord.queue.resume();
}
if (config.SLACK_BOT_TOKEN !== undefined) {
  runtime.ctx.senders.slack = createSlackSender(createSlackWebClient({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL ?? 'https://slack.com/api/', log }), { log });
  await runtime.ctx.queues.deliver.slack.queue.resume();
}
const workers = startWorkerRole(runtime, {
  lockDuration: numberFrom('NH_TEST_LOCK_MS', 3_000),
  stalledInterval: numberFrom('NH_TEST_STALLED_MS', 1_000),
  drainDelay: numberFrom('NH_TEST_DRAIN_DELAY_S', 1),
});
log.info({ role: 'worker', pid: process.pid }, 'newshound started');

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  log.info({ signal }, 'shutting down');
  workers
    .stop(numberFrom('NH_TEST_GRACE_MS', 10_000))
    .then(() => runtime.close())
    .then(
      () => setImmediate(() => process.exit(0)),
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        setImmediate(() => process.exit(1));
      },
    );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
