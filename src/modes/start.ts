import { CONSOLE_DESTINATION, createConsoleSender, startConsole } from '../adapters/console/console.js';
import type { Config } from '../config/env.js';
import type { Logger } from '../log.js';
import { startOpsServer, type OpsServer } from '../ops/http.js';
import { QUEUE_NAMES } from '../queues/names.js';
import { createChatRuntime } from './chat-runtime.js';
import { createRuntime } from './runtime.js';
import { startScheduler } from './scheduler.js';
import { startWorkerRole } from './worker.js';

export const ROLES = ['all', 'bot', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

/** Console mode: no chat platform configured, so commands come from stdin and alerts go to stdout. */
export function isConsoleMode(config: Config): boolean {
  return config.DISCORD_TOKEN === undefined && config.SLACK_BOT_TOKEN === undefined;
}

export interface StartIo {
  stdin: NodeJS.ReadableStream;
  write(text: string): void;
  interactive: boolean;
}

/**
 * Starts the requested role(s) in this process and returns stop(): `scheduler` keeps the poll
 * schedules, `worker` polls, matches and delivers, `bot` answers chat commands; `all` is all
 * three. Shutdown runs in reverse: chat first, then workers (in-flight jobs finish), then
 * queues and Redis.
 */
export async function start(config: Config, log: Logger, role: Role, io: StartIo): Promise<{ port: number; stop(): Promise<void> }> {
  const runtime = await createRuntime(config, log);
  const stops: Array<() => Promise<void>> = [];
  const consoleMode = isConsoleMode(config);
  let ready = false;
  let activity: ReadonlyMap<string, number> = new Map();
  let http: OpsServer;
  try {
    http = await startOpsServer({
      port: config.HTTP_PORT,
      log,
      redis: runtime.ctx.redis,
      queues: () => runtime.ctx.queues.all(),
      metrics: runtime.ctx.metrics,
      activity: () => activity,
      feeds: runtime.ctx.feeds,
      subscriptions: runtime.ctx.subscriptions,
      counters: runtime.ctx.counters,
      ...(config.ADMIN_PASSWORD !== undefined ? { adminPassword: config.ADMIN_PASSWORD } : {}),
      ready: () => ready,
    });
  } catch (err) {
    await runtime.close();
    throw err;
  }
  stops.push(() => http.close());
  try {
    if (role === 'all' || role === 'scheduler') {
      const scheduler = await startScheduler(runtime);
      stops.push(() => scheduler.stop());
    }
    if (role === 'all' || role === 'worker') {
      if (config.DISCORD_TOKEN !== undefined) {
        const { createDiscordRest, createDiscordSender } = await import('../adapters/discord/sender.js');
        runtime.ctx.senders.discord = createDiscordSender(createDiscordRest({ token: config.DISCORD_TOKEN, api: config.DISCORD_API_URL ?? 'https://discord.com/api' }));
        // A previous run may have paused Discord deliveries after a refused token; this run has a new chance.
        await runtime.ctx.queues.deliver.discord.queue.resume();
      }
      if (config.SLACK_BOT_TOKEN !== undefined) {
        const { createSlackSender, createSlackWebClient } = await import('../adapters/slack/sender.js');
        runtime.ctx.senders.slack = createSlackSender(createSlackWebClient({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL ?? 'https://slack.com/api/', log }), { log });
        // As for Discord: a refused token paused the queue in an earlier run.
        await runtime.ctx.queues.deliver.slack.queue.resume();
      }
      if (consoleMode) runtime.ctx.senders.console = createConsoleSender(io.write);
      const workers = startWorkerRole(runtime);
      activity = workers.activity;
      stops.push(() => workers.stop(10_000));
    }
    if (role === 'all' || role === 'bot') {
      const chat = await createChatRuntime(config, log);
      stops.push(() => chat.close());
      if (config.DISCORD_TOKEN !== undefined) {
        const { startDiscordBot } = await import('../adapters/discord/bot.js');
        const bot = await startDiscordBot({ token: config.DISCORD_TOKEN, api: config.DISCORD_API_URL ?? 'https://discord.com/api', chat, log });
        stops.push(() => bot.stop());
      }
      if (config.SLACK_BOT_TOKEN !== undefined) {
        const { slackBotConfig, startSlackBot } = await import('../adapters/slack/bot.js');
        const slack = await startSlackBot({ ...slackBotConfig(config, config.SLACK_BOT_TOKEN), chat, log, mountHttp: (path, listener) => http.mount(path, listener) });
        stops.push(() => slack.stop());
      }
      if (consoleMode) {
        const repl = startConsole(chat, { input: io.stdin, write: io.write, interactive: io.interactive });
        stops.push(async () => repl.stop());
        log.info({ destination: CONSOLE_DESTINATION, queue: QUEUE_NAMES.deliverConsole }, 'console mode: no Discord or Slack configured');
      }
    }
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await runtime.close();
    throw err;
  }
  ready = true;
  log.info({ role, port: http.port }, 'newshound started');
  return {
    port: http.port,
    async stop() {
      ready = false;
      for (const s of stops.reverse()) await s();
      await runtime.close();
    },
  };
}
