import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.js';

function problemsOf(env: Record<string, string>): ConfigError['problems'] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.REDIS_PREFIX).toBe('{newshound}');
    expect(config.POLL_INTERVAL_SECONDS).toBe(300);
    expect(config.MAX_STORY_AGE_HOURS).toBe(48);
    expect(config.STORY_RETENTION_DAYS).toBe(14);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.DISCORD_API_URL).toBe('https://discord.com/api');
    expect(config.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.FEED_ALLOW_PRIVATE_HOSTS.allowsAddress('127.0.0.1')).toBe(false);
  });

  it('reads numbers, lists and the allow-list', () => {
    const config = loadConfig({
      POLL_INTERVAL_SECONDS: '1',
      MAX_STORY_AGE_HOURS: '12.5',
      FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1, 10.0.0.0/8, feeds.internal',
      SLACK_ADMIN_USER_IDS: 'U1, U2 ,',
    });
    expect(config.POLL_INTERVAL_SECONDS).toBe(1);
    expect(config.MAX_STORY_AGE_HOURS).toBe(12.5);
    expect(config.SLACK_ADMIN_USER_IDS).toEqual(['U1', 'U2']);
    expect(config.FEED_ALLOW_PRIVATE_HOSTS.allowsAddress('10.1.2.3')).toBe(true);
    expect(config.FEED_ALLOW_PRIVATE_HOSTS.allowsHost('feeds.internal')).toBe(true);
  });

  it('accepts platform ids of any shape (they are opaque)', () => {
    const config = loadConfig({ DISCORD_TOKEN: 't', DISCORD_APP_ID: 'x', DISCORD_DEV_GUILD_ID: 'guild-a' });
    expect(config.DISCORD_APP_ID).toBe('x');
  });

  it.each([
    ['POLL_INTERVAL_SECONDS', '-7'],
    ['POLL_INTERVAL_SECONDS', 'five'],
    ['MAX_STORY_AGE_HOURS', '-1'],
    ['HTTP_PORT', '70000'],
    ['REDIS_URL', 'http://example.com'],
    ['REDIS_PREFIX', 'nh-prefix'],
    ['LOG_LEVEL', 'loud'],
    ['DISCORD_API_URL', 'not a url'],
    ['FEED_ALLOW_PRIVATE_HOSTS', '10.0.0.0/99'],
  ])('names %s when it is %j, without printing the value', (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems.map((p) => p.variable)).toContain(variable);
    const message = new ConfigError(problems).message;
    expect(message).toContain(variable);
    expect(message).not.toContain(value);
  });

  it('never prints a secret when a token-dependent variable is missing', () => {
    const secret = 'super-secret-token-value';
    const problems = problemsOf({ DISCORD_TOKEN: secret });
    expect(problems).toEqual([{ variable: 'DISCORD_APP_ID', message: expect.any(String) }]);
    expect(new ConfigError(problems).message).not.toContain(secret);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ POLL_INTERVAL_SECONDS: 'x', LOG_LEVEL: 'y' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['LOG_LEVEL', 'POLL_INTERVAL_SECONDS']);
  });
});
