/**
 * Waits until `check` returns a truthy value, re-checking every `intervalMs`; fails with
 * `what` after `timeoutMs`. For conditions that live in another process or in Redis, where no
 * event can be awaited directly.
 */
export async function waitUntil<T>(
  check: () => Promise<T> | T,
  what: string,
  { timeoutMs = 15_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
