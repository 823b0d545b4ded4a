import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './redis-server.js';

/**
 * A private `redis-server` that a reliability test may crash (SIGKILL) and start again on the same
 * port and directory, so clients reconnect to "the same" Redis: with AOF (`appendfsync everysec`)
 * it comes back with its data, without persistence it comes back empty (RELIABILITY R2, R3).
 */
export interface KillableRedis {
  readonly url: string;
  readonly port: number;
  /** Whether the server process is running now. */
  readonly running: boolean;
  /** SIGKILLs the server (a crash: no shutdown save); resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again; resolves with the time (ms) it first answered PING. */
  start(): Promise<number>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

export type RedisPersistence = 'aof' | 'none';

/** Starts a {@link KillableRedis} on a free loopback port. */
export async function startKillableRedis(persistence: RedisPersistence): Promise<KillableRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'newshound-killable-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    ...(persistence === 'aof' ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<number> => {
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child = proc;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const deadline = Date.now() + 15_000;
    try {
      for (;;) {
        try {
          await probe.connect();
          await probe.ping();
          return Date.now();
        } catch (err) {
          probe.disconnect();
          if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`, { cause: err });
          // Polling a port that is not listening yet: there is no event to wait for.
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    } finally {
      probe.disconnect();
    }
  };

  await launch();
  const handle: KillableRedis = {
    url,
    port,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async kill() {
      if (handle.running) child?.kill('SIGKILL');
      await exited;
    },
    async start() {
      if (handle.running) throw new Error('redis-server is already running');
      return await launch();
    },
    async close() {
      if (handle.running) {
        child?.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
