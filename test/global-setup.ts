import type { TestProject } from 'vitest/node';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.js';

let server: RedisServerHandle | undefined;

/** Starts one private redis-server for the whole run; test files isolate themselves by key prefix. */
export async function setup(project: TestProject): Promise<void> {
  server = await startRedisServer();
  project.provide('redisUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
