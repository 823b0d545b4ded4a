import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach the logs. Tokens, secrets and passwords may appear in error
 * objects or request options that get logged by mistake; pino censors them at any of these paths.
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'config.DISCORD_TOKEN',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_APP_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.REDIS_URL',
  'config.ADMIN_PASSWORD',
  'ADMIN_PASSWORD',
  'config.SUMMARY_LLM_API_KEY',
  'SUMMARY_LLM_API_KEY',
  'apiKey',
  '*.apiKey',
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'redisUrl',
];

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Pretty, coloured lines; only on a terminal. Defaults to whether stderr is a TTY. */
  pretty?: boolean;
  /** Where lines go; defaults to stderr so stdout stays free for CLI output and the console adapter. */
  destination?: pino.DestinationStream;
}

/** The one structured logger: JSON lines on stderr, tokens redacted, pretty only on a TTY. */
export function createLogger(opts: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: opts.level,
    base: { app: 'newshound' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (opts.destination) return pino(base, opts.destination);
  const pretty = opts.pretty ?? process.stderr.isTTY;
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(base, pino.destination({ dest: 2, sync: false }));
}
