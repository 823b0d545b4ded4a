import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ensureLocalRedis, redisAnswers } from '../../src/modes/local-redis.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import { freePort, startRedisServer } from '../support/redis-server.js';
import { testConfig } from '../support/runtime.js';
import { waitUntil } from '../support/wait.js';

const root = join(import.meta.dirname, '../..');
const main = join(root, 'dist/src/main.js');

/** The CMD of the runtime stage of the Dockerfile, as an argv array. */
function dockerCmd(): string[] {
  const lines = readFileSync(join(root, 'Dockerfile'), 'utf8').split('\n');
  const cmd = lines.filter((l) => l.startsWith('CMD ')).at(-1);
  if (cmd === undefined) throw new Error('Dockerfile has no CMD');
  return JSON.parse(cmd.slice(4)) as string[];
}

describe.runIf(existsSync(main))('the newshound process', () => {
  it('runs the Docker image’s start command: healthy on /healthz, then exits 0 on SIGTERM', async () => {
    const [command, ...args] = dockerCmd();
    expect(command).toBe('node');
    const config = testConfig();
    const port = await freePort();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { PATH: process.env.PATH, REDIS_URL: config.REDIS_URL, REDIS_PREFIX: config.REDIS_PREFIX, HTTP_PORT: String(port), FEEDS_FILE: join(root, 'test/fixtures/feeds-none.json'), LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const health = await waitUntil(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return res?.status === 200 ? ((await res.json()) as { ok: boolean }) : undefined;
      }, 'the process to answer /healthz');
      expect(health.ok).toBe(true);
      const started = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(stderr).not.toMatch(/"level":(50|60)/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('stops cleanly (exit 0) on a SIGTERM that arrives while it is still starting', async () => {
    // The health endpoint answers as soon as the process is up, before the Discord login; hold
    // that login so the SIGTERM lands in the middle of startup every time.
    const discord = await startFakeDiscord({ guilds: [{ id: '100', channels: [{ id: '200' }] }] });
    discord.override({ method: 'GET', path: '/gateway/bot', times: 1 }, { kind: 'delay', ms: 3_000 });
    const config = testConfig();
    const port = await freePort();
    const child = spawn(process.execPath, [main, 'start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        REDIS_URL: config.REDIS_URL,
        REDIS_PREFIX: config.REDIS_PREFIX,
        HTTP_PORT: String(port),
        FEEDS_FILE: join(root, 'test/fixtures/feeds-none.json'),
        DISCORD_TOKEN: discord.token,
        DISCORD_APP_ID: discord.appId,
        DISCORD_API_URL: discord.apiBase,
        LOG_LEVEL: 'info',
      },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitUntil(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      }, 'the process to answer /healthz');
      await waitUntil(() => (discord.requests.some((r) => r.path === '/gateway/bot') ? true : undefined), 'the Discord login to begin');
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('shutting down once startup has finished');
      expect(stderr).not.toMatch(/"level":(50|60)/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await discord.close();
    }
  });

  it('refuses to start on a Redis that may evict keys, and says which setting to change', async () => {
    const redis = await startRedisServer(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const child = spawn(process.execPath, [main, 'start'], {
        cwd: root,
        env: { PATH: process.env.PATH, REDIS_URL: redis.url, HTTP_PORT: '0', FEEDS_FILE: join(root, 'test/fixtures/feeds-none.json'), LOG_LEVEL: 'silent' },
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
      expect(stderr).toContain('newshound could not start: Redis maxmemory-policy is "allkeys-lru"');
      expect(stderr).toContain('Set it to noeviction');
    } finally {
      await redis.stop();
    }
  });

  it('starts a private redis-server (append-only, noeviction) when none answers, and stops it again', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'nh-local-redis-'));
    expect(await redisAnswers('127.0.0.1', port)).toBe(false);
    const local = await ensureLocalRedis({ host: '127.0.0.1', port, dataDir });
    expect(local).toBeDefined();
    const redis = new Redis(local!.url, { lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await redis.config('GET', 'dir')).toEqual(['dir', dataDir]);
      // A second start finds it answering and leaves it alone.
      expect(await ensureLocalRedis({ host: '127.0.0.1', port, dataDir })).toBeUndefined();
    } finally {
      redis.disconnect();
      await local!.stop();
    }
    expect(await redisAnswers('127.0.0.1', port)).toBe(false);
  });
});
