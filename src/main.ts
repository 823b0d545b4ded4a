#!/usr/bin/env node
import { parseArgs } from 'node:util';

const USAGE = `newshound: news alerts for Discord and Slack

Usage:
  newshound start [--role all|bot|worker|scheduler]
                                                 run the bot (all roles by default); with no Discord
                                                 or Slack configured, commands are read from stdin
                                                 and alerts printed (console mode)
  newshound deploy-commands                      register the Discord slash commands
  newshound slack-manifest [--json] [--request-url https://host]
                                                 print the Slack app manifest (Socket Mode, or HTTP
                                                 mode with requests to <url>/slack/events)
  newshound match '<query>'                      match JSON lines {title, content, categories?} from stdin
  newshound summarize [--lang de|en|auto]        summarize article text or HTML from stdin (the summary
                                                 alerts carry; language detected unless given)
  newshound feed test <url|file|-> [--content-type T] [--json]
                                                 fetch or read a feed and print what Newshound sees
  newshound help                                 this text

Configuration comes from the environment; see .env.example.
`;

/** Thrown for bad command-line usage: printed with the usage text, exit code 2. */
class UsageError extends Error {}

async function loadConfigOrExit() {
  const { loadConfig, ConfigError } = await import('./config/env.js');
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

async function runStart(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' } }, allowPositionals: false });
  const { ROLES, start } = await import('./modes/start.js');
  const role = ROLES.find((r) => r === values.role);
  if (role === undefined) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const config = await loadConfigOrExit();
  const { createLogger } = await import('./log.js');
  const log = createLogger({ level: config.LOG_LEVEL });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

  // Signal handlers go in before anything starts: a SIGTERM that arrives while the bot is still
  // starting (the health endpoint already answers) must still stop it cleanly, not kill it.
  let handle: { stop(): Promise<void> } | undefined;
  let stopping = false;
  let settle!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (settle = resolve));
  const stopNow = (h: { stop(): Promise<void> }) =>
    h.stop().then(
      () => settle(0),
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        settle(1);
      },
    );
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, handle === undefined ? 'shutting down once startup has finished' : 'shutting down');
    if (handle !== undefined) void stopNow(handle);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  let localRedis: { stop(): Promise<void> } | undefined;
  try {
    // Zero configuration: without REDIS_URL and with nothing on 127.0.0.1:6379, run a private Redis.
    if (process.env.REDIS_URL === undefined || process.env.REDIS_URL.trim() === '') {
      const { ensureLocalRedis } = await import('./modes/local-redis.js');
      localRedis = await ensureLocalRedis();
      if (localRedis) log.info({ dir: 'data/redis' }, 'started a private redis-server on 127.0.0.1:6379');
    }
    const started = await start(config, log, role, {
      stdin: process.stdin,
      write: (t) => process.stdout.write(t),
      interactive: process.stdin.isTTY === true,
    });
    handle = {
      async stop() {
        await started.stop();
        await localRedis?.stop();
      },
    };
  } catch (err) {
    await localRedis?.stop();
    log.fatal({ err }, 'newshound could not start');
    process.stderr.write(`newshound could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  // Once running, an uncaught exception stops the process in order; during startup it crashes
  // it at once (Node's default), since a startup that threw may never finish.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    shutdown('uncaughtException');
  });
  if (stopping) void stopNow(handle);
  return await exitCode;
}

async function runFeed(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'test') throw new UsageError('feed: the only subcommand is "test"');
  const { values, positionals } = parseArgs({
    args: rest,
    options: { 'content-type': { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('feed test needs exactly one <url|file|->');
  const config = await loadConfigOrExit();
  const { feedTest } = await import('./modes/feed-test.js');
  const contentType = values['content-type']?.trim();
  return await feedTest(
    { source: positionals[0]!, contentType: contentType === '' ? undefined : contentType, json: values.json },
    config,
    { stdin: process.stdin, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
  );
}

async function runMatch(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError("match needs exactly one '<query>'");
  const { runMatch: match } = await import('./modes/match.js');
  return await match(positionals[0]!, { stdin: process.stdin, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
}

async function runSummarizeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { lang: { type: 'string', default: 'auto' } }, allowPositionals: false });
  const { SUMMARIZE_LANGUAGES, runSummarize } = await import('./modes/summarize.js');
  const lang = SUMMARIZE_LANGUAGES.find((l) => l === values.lang);
  if (lang === undefined) throw new UsageError(`--lang must be one of ${SUMMARIZE_LANGUAGES.join(', ')}`);
  return await runSummarize(lang, { stdin: process.stdin, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
}

async function runDeployCommands(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, allowPositionals: false });
  const config = await loadConfigOrExit();
  const { deployCommands } = await import('./modes/deploy-commands.js');
  try {
    return await deployCommands(config, (t) => process.stdout.write(t));
  } catch (err) {
    process.stderr.write(`deploy-commands failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function runSlackManifest(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, 'request-url': { type: 'string' } }, allowPositionals: false });
  const { printSlackManifest, SlackManifestUsageError } = await import('./modes/slack-manifest.js');
  try {
    return printSlackManifest({ json: values.json, requestUrl: values['request-url'] }, (t) => process.stdout.write(t));
  } catch (err) {
    if (err instanceof SlackManifestUsageError) throw new UsageError(err.message);
    throw err;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return await runStart(rest);
    case 'feed':
      return await runFeed(rest);
    case 'match':
      return await runMatch(rest);
    case 'summarize':
      return await runSummarizeCommand(rest);
    case 'deploy-commands':
      return await runDeployCommands(rest);
    case 'slack-manifest':
      return await runSlackManifest(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // Let stdout drain before exiting (it may be a pipe).
    process.exitCode = code;
    if (code !== 0 || process.argv[2] === 'start') setImmediate(() => process.exit(code));
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
