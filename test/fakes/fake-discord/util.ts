/** Small helpers shared by the FakeDiscord modules. Internal: not re-exported by `../fake-discord.ts`. */

/** A JSON object, after narrowing an `unknown`. */
export type JsonObject = Record<string, unknown>;

/** Narrows to a plain JSON object (not an array). */
export function isRecord(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value if it is a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The value if it is a finite number. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The value if it is an array. */
export function arr(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? (v as unknown[]) : undefined;
}

/**
 * Length as Discord counts it: Unicode code points, since its API is Python 3
 * (https://github.com/discord/discord-api-docs/issues/1315).
 */
export function discordLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A fresh, increasing snowflake for the current time (https://discord.com/developers/docs/reference#snowflakes). */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** Milliseconds on a monotonic clock, with sub-millisecond precision. */
export function monotonicMs(): number {
  return performance.now();
}

/** Milliseconds as Discord's seconds headers carry them: rounded up to the millisecond, so a client is never early. */
export function secondsHeader(ms: number): string {
  return (Math.ceil(Math.max(0, ms)) / 1000).toFixed(3);
}

interface PendingCondition {
  check: () => boolean;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Promises that resolve when a condition over the fake's state becomes true. Every state change
 * calls {@link Conditions.changed}, which re-evaluates the pending checks; no polling.
 */
export class Conditions {
  readonly #pending = new Set<PendingCondition>();
  #closed = false;

  /** Resolves with the first non-undefined value of `probe`, now or after a later change. */
  waitFor<R>(probe: () => R | undefined, timeoutMs: number, what: string): Promise<R> {
    if (this.#closed) return Promise.reject(new Error(`FakeDiscord is closed (waiting for ${what})`));
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<R>((resolve, reject) => {
      const entry: PendingCondition = {
        check: () => {
          const value = probe();
          if (value === undefined) return false;
          clearTimeout(entry.timer);
          resolve(value);
          return true;
        },
        reject: (err) => {
          clearTimeout(entry.timer);
          reject(err);
        },
        timer: setTimeout(() => {
          this.#pending.delete(entry);
          reject(new Error(`FakeDiscord: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs),
      };
      this.#pending.add(entry);
    });
  }

  changed(): void {
    for (const entry of [...this.#pending]) {
      if (entry.check()) this.#pending.delete(entry);
    }
  }

  /** Rejects every pending wait; later waits reject at once. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#pending) entry.reject(new Error('FakeDiscord was closed while waiting'));
    this.#pending.clear();
  }
}

/** Timers that `close()` can cut short, so a scripted delay never outlives the fake. */
export class Sleeper {
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  #closed = false;

  /** Resolves `true` after `ms`, or `false` at once if the fake is (or gets) closed. */
  sleep(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve(true);
      }, ms);
      this.#timers.set(timer, () => resolve(false));
    });
  }

  close(): void {
    this.#closed = true;
    for (const [timer, cancel] of this.#timers) {
      clearTimeout(timer);
      cancel();
    }
    this.#timers.clear();
  }
}
