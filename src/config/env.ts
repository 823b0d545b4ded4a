import { z } from 'zod';
import { parseAllowList, type AllowList } from '../feeds/address-guard.js';

/** Log levels pino understands, plus `silent`. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** What a variable reader returns for a value it refuses: the message names the rule, never the value. */
class Invalid {
  constructor(readonly message: string) {}
}

/**
 * One environment variable: surrounding blanks trimmed, and blank counts as unset (`undefined`).
 * `read` turns that into the value, or an {@link Invalid} that becomes the error for the variable.
 */
function envVar<T>(read: (raw: string | undefined) => T | Invalid) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): T => {
      const value = read(v === '' ? undefined : v);
      if (value instanceof Invalid) {
        ctx.addIssue({ code: 'custom', message: value.message });
        return z.NEVER;
      }
      return value;
    });
}

function intVar(min: number, max: number, fallback: number) {
  return envVar((v) => {
    const n = v === undefined ? fallback : Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : new Invalid(`must be a whole number from ${min} to ${max}`);
  });
}

function numberVar(minExclusive: number, max: number, fallback: number) {
  return envVar((v) => {
    const n = v === undefined ? fallback : Number(v);
    return Number.isFinite(n) && n > minExclusive && n <= max ? n : new Invalid(`must be a number above ${minExclusive} and at most ${max}`);
  });
}

function urlVar(protocols: string[], fallback: string | undefined) {
  return envVar((v): string | undefined | Invalid => {
    const raw = v ?? fallback;
    if (raw === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return new Invalid(`must be a URL (${protocols.join(' or ')})`);
    }
    return protocols.includes(url.protocol) ? raw : new Invalid(`must use ${protocols.join(' or ')}`);
  });
}

function booleanVar(fallback: boolean) {
  return envVar((v) => {
    if (v === undefined) return fallback;
    const value = v.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    return new Invalid('must be true or false (also 1/0, yes/no, on/off)');
  });
}

const idList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

/**
 * The one schema over the environment. Platform ids are opaque strings: never validated by
 * length or shape (Discord snowflakes and Slack ids change format over time).
 */
export const envSchema = z.object({
  REDIS_URL: urlVar(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  // One hash tag keeps every key of Newshound in one Redis Cluster slot, so Lua scripts and
  // multi-key commands (BullMQ's included) work on a cluster.
  REDIS_PREFIX: envVar((v) => {
    const prefix = v ?? '{newshound}';
    return /^\{[A-Za-z0-9_.:-]+\}$/.test(prefix) ? prefix : new Invalid('must be a Redis hash tag such as {newshound}');
  }),
  DISCORD_TOKEN: optionalText,
  DISCORD_APP_ID: optionalText,
  DISCORD_API_URL: urlVar(['https:', 'http:'], 'https://discord.com/api'),
  DISCORD_DEV_GUILD_ID: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: urlVar(['https:', 'http:'], 'https://slack.com/api/'),
  SLACK_ADMIN_USER_IDS: idList,
  HTTP_PORT: intVar(0, 65_535, 3000),
  ADMIN_PASSWORD: optionalText,
  FEEDS_FILE: optionalText,
  FEED_ALLOW_PRIVATE_HOSTS: z
    .string()
    .optional()
    .transform((v, ctx): AllowList => {
      try {
        return parseAllowList(v ?? '');
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : 'is not a valid list' });
        return z.NEVER;
      }
    }),
  POLL_INTERVAL_SECONDS: intVar(1, 86_400, 300),
  MAX_STORY_AGE_HOURS: numberVar(0, 24 * 365, 48),
  STORY_RETENTION_DAYS: numberVar(0, 365, 14),
  SUMMARY_FETCH_ARTICLES: booleanVar(true),
  SUMMARY_LLM_URL: urlVar(['https:', 'http:'], undefined),
  SUMMARY_LLM_MODEL: optionalText,
  SUMMARY_LLM_API_KEY: optionalText,
  SUMMARY_LLM_TIMEOUT_SECONDS: numberVar(0, 600, 15),
  LOG_LEVEL: envVar((v) => {
    const level = (v ?? 'info').toLowerCase();
    return LOG_LEVELS.find((l) => l === level) ?? new Invalid(`must be one of ${LOG_LEVELS.join(', ')}`);
  }),
});

/** Validated configuration, read once at start. */
export type Config = z.output<typeof envSchema>;

/** A configuration problem: names the variables and what is wrong, never their values. */
export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; message: string }>) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable} ${p.message}`).join('\n')}\n` +
        'See .env.example for every variable and its meaning.',
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws {@link ConfigError} naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        // Our own messages never contain the value; zod's built-in ones are replaced.
        message: issue.code === 'custom' ? issue.message : 'is not valid',
      })),
    );
  }
  const config = result.data;
  if (config.DISCORD_TOKEN !== undefined && config.DISCORD_APP_ID === undefined) {
    throw new ConfigError([{ variable: 'DISCORD_APP_ID', message: 'is required when DISCORD_TOKEN is set' }]);
  }
  if (config.SUMMARY_LLM_URL !== undefined && config.SUMMARY_LLM_MODEL === undefined) {
    throw new ConfigError([{ variable: 'SUMMARY_LLM_MODEL', message: 'is required when SUMMARY_LLM_URL is set' }]);
  }
  if (config.SLACK_BOT_TOKEN !== undefined && config.SLACK_APP_TOKEN === undefined && config.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError([
      { variable: 'SLACK_SIGNING_SECRET', message: 'or SLACK_APP_TOKEN is required when SLACK_BOT_TOKEN is set' },
    ]);
  }
  return config;
}
