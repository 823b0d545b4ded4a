import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';

/** Where `npm start` looks for Redis when REDIS_URL is not set. */
export const DEFAULT_REDIS = { host: '127.0.0.1', port: 6379 };

/** Whether something answers a Redis PING at host:port within `timeoutMs`. */
export async function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return await new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(/^\+PONG|^-NOAUTH/.test(data.toString())));
  });
}

/** A redis-server this process started for itself. */
export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/** Thrown when no Redis is reachable and none can be started; the message says what to do. */
export class NoRedisError extends Error {
  override name = 'NoRedisError';
}

const HOW_TO_GET_REDIS =
  'Newshound needs Redis. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), ' +
  'or run one with Docker (docker run -d -p 6379:6379 redis:7 --appendonly yes), or set REDIS_URL to your Redis.';

/**
 * For a zero-configuration start: when nothing answers on 127.0.0.1:6379, starts a private
 * `redis-server` there with its data under `dataDir` (append-only file on, `noeviction`), so
 * queued alerts survive a restart. Returns undefined when a Redis already answers.
 */
export async function ensureLocalRedis(
  { host, port, dataDir }: { host: string; port: number; dataDir: string } = { ...DEFAULT_REDIS, dataDir: resolve('data/redis') },
): Promise<LocalRedis | undefined> {
  if (await redisAnswers(host, port)) return undefined;
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error !== undefined) throw new NoRedisError(HOW_TO_GET_REDIS);
  mkdirSync(dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--bind', host, '--port', String(port), '--dir', dataDir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', ''],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new NoRedisError(`redis-server did not start on ${host}:${port}. ${HOW_TO_GET_REDIS}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://${host}:${port}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
