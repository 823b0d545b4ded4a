/**
 * Helpers shared by the reliability suite (test/reliability): Newshound processes the tests can
 * SIGKILL or SIGTERM, their JSON logs, distinct story texts, and the figure line every scenario
 * prints.
 */
import { replyToText } from '../../src/chat/reply.js';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Alert } from '../../src/delivery/alert.js';
import type { AlertSender } from '../../src/delivery/sender.js';
import type { Destination, Platform } from '../../src/core/destination.js';

export const ROOT = join(import.meta.dirname, '../..');
/** The built CLI (`npm run build`); `npm test` builds before vitest runs. */
export const CLI = join(ROOT, 'dist/src/main.js');
export const cliBuilt = (): boolean => existsSync(CLI);

/** A fresh hash-tag prefix, so a scenario's keys never meet another test's. */
export const reliabilityPrefix = (): string => `{r${randomUUID().slice(0, 8)}}`;

/** One parsed log line of a child process (pino JSON). */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A Newshound process started by a test. */
export interface NewshoundProcess {
  readonly pid: number;
  /** Every JSON log line from stderr, in order. */
  readonly logs: LogLine[];
  /** Stdout as text (console mode prints alerts and replies there). */
  readonly stdout: () => string;
  /** Resolves when the process has exited, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  readonly alive: () => boolean;
  kill(signal: NodeJS.Signals): void;
  /** Writes a line to its stdin (console mode commands). */
  send(line: string): void;
  /** Log lines whose message contains `text`. */
  logged(text: string): LogLine[];
}

export type ProcessKind =
  /** `node dist/src/main.js start --role <role>`: the real CLI with production timers. */
  | { cli: 'all' | 'worker' | 'scheduler' | 'bot' }
  /** test/support/reliability-worker.ts: the worker role with the test's short BullMQ timers. */
  | { testWorker: true };

/**
 * Starts a Newshound process. `env` is the whole configuration (nothing is inherited but PATH),
 * so a process can only reach what the test points it at.
 */
export function startNewshound(kind: ProcessKind, env: Record<string, string>): NewshoundProcess {
  const args = 'cli' in kind ? [CLI, 'start', '--role', kind.cli] : ['--import', 'tsx', join(ROOT, 'test/support/reliability-worker.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', HTTP_PORT: '0', FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1', SUMMARY_FETCH_ARTICLES: 'false', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  createInterface({ input: child.stderr }).on('line', (line) => {
    try {
      const parsed = JSON.parse(line) as LogLine;
      logs.push(parsed);
    } catch {
      logs.push({ level: 50, msg: line });
    }
  });
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    pid: child.pid ?? -1,
    logs,
    stdout: () => stdout,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    logged: (text) => logs.filter((l) => typeof l.msg === 'string' && l.msg.includes(text)),
  };
}

/** Prints a scenario's figure line (visible in the vitest output) and returns it. */
export function figures(id: string, parts: Record<string, string | number>): string {
  const line = `${id} figures: ${Object.entries(parts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`;
  console.log(line);
  return line;
}

/** Seconds with one decimal, for figure lines. */
export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const WORDS = (
  'harbour council approves plan river bridge budget vote school teachers strike union museum opens ' +
  'exhibit storm warning coast airport delays flights court ruling mayor resigns hospital funding ' +
  'nurses pay railway tunnel collapse engineers satellite launch orbit farmers drought harvest prices ' +
  'festival crowds police arrest fraud bank merger shares tumble energy grid outage wind turbines ' +
  'election results turnout minister visit summit trade deal tariffs factory closes jobs lost volcano ' +
  'erupts village evacuated wildfire spreads forest rangers marathon record runner champion league ' +
  'final stadium transfer fee coach sacked orchestra concert violin premiere novel prize author ' +
  'library archive discovery fossil dinosaur bones researchers vaccine trial results patients ' +
  'startup funding investors chip shortage carmakers recall brakes pipeline leak regulators fine'
).split(' ');

/**
 * Distinct news-like texts from a seeded generator: different stories never look like one
 * cluster (near-duplicate detection compares word pairs), the same seed gives the same text.
 */
export function storyText(seed: number, keyword: string): { title: string; lead: string } {
  let s = (seed * 2654435761 + 97) >>> 0;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return WORDS[s % WORDS.length]!;
  };
  const title = [next(), next(), keyword, next(), next(), next(), `#${seed}`].join(' ');
  const lead = `${Array.from({ length: 18 }, next).join(' ')}. ${Array.from({ length: 12 }, next).join(' ')}.`;
  return { title: title[0]!.toUpperCase() + title.slice(1), lead };
}

/** An in-memory sender that records what would be visible; for scenarios about what gets posted, not how. */
export function recordingSender(platform: Platform): AlertSender & {
  posts: Array<{ dest: Destination; alert: Alert; key: string }>;
  edits: Array<{ dest: Destination; id: string; alert: Alert }>;
  notices: Array<{ dest: Destination; text: string }>;
} {
  const posts: Array<{ dest: Destination; alert: Alert; key: string }> = [];
  const edits: Array<{ dest: Destination; id: string; alert: Alert }> = [];
  const notices: Array<{ dest: Destination; text: string }> = [];
  return {
    platform,
    posts,
    edits,
    notices,
    async send(dest, alert, key) {
      posts.push({ dest, alert, key });
      return { messageId: `m${posts.length}` };
    },
    async edit(dest, id, alert) {
      edits.push({ dest, id, alert });
    },
    async notice(dest, text) {
      notices.push({ dest, text });
    },
    async postReply(dest, reply) {
      notices.push({ dest, text: replyToText(reply) });
      return { messageId: `r${notices.length}` };
    },
    async notifyUser() {},
  };
}
