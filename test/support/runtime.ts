import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { createRuntime, type Runtime } from '../../src/modes/runtime.js';

/** A unique hash-tag prefix, so test files share the private Redis without seeing each other. */
export function testPrefix(): string {
  return `{t${randomUUID().slice(0, 8)}}`;
}

/** Config for tests: the private Redis, a fresh prefix, loopback feeds allowed, quiet logs. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: testPrefix(),
    FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    POLL_INTERVAL_SECONDS: '1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** A real runtime (Redis, stores, queues, fetcher) on the private test Redis. */
export async function testRuntime(env: Record<string, string> = {}): Promise<Runtime> {
  const config = testConfig(env);
  return await createRuntime(config, createLogger({ level: config.LOG_LEVEL, pretty: false }));
}
