/** Event-driven waiting: conditions are re-checked whenever the fake's state changes, never polled. */

interface Waiter {
  check: () => boolean;
  reject: (e: Error) => void;
}

/** Pending waits of one fake; `notify()` after every state change. */
export class Waiters {
  private readonly pending = new Set<Waiter>();
  private closedError: Error | undefined;

  /** Resolves with `probe()`'s first non-undefined value; rejects after `timeoutMs` with `what` in the message. */
  wait<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const v = probe();
          if (v === undefined) return false;
          done();
          resolve(v);
          return true;
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      const timer = setTimeout(() => waiter.reject(new Error(`FakeSlack: timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(waiter);
      };
      this.pending.add(waiter);
    });
  }

  /** Re-checks every pending condition. */
  notify(): void {
    for (const w of [...this.pending]) w.check();
  }

  /** Rejects everything pending and any later wait. */
  close(): void {
    this.closedError = new Error('FakeSlack: closed');
    for (const w of [...this.pending]) w.reject(this.closedError);
  }
}
