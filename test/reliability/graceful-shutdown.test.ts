import { describe, expect, inject, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { R4_EXIT_TARGET_MS, runShutdownScenario } from './scenarios/graceful-shutdown.js';

describe.runIf(cliBuilt())('R4: SIGTERM to the real CLI worker with 10 deliveries in flight', () => {
  it('lets the in-flight deliveries finish, exits, leaves nothing to stall, and loses or repeats nothing after a restart', async () => {
    const r = await runShutdownScenario(inject('redisUrl'), { holdMs: 3_000, waiting: 20, restart: true });
    expect(r.exitCode).toBe(0);
    expect(r.exitMs).toBeLessThanOrEqual(R4_EXIT_TARGET_MS);
    expect(r.leftActive).toBe(0);
    expect(r.stalled).toBe(0);
    expect(r.delivered).toBe(r.expected);
    expect(r.duplicates).toBe(0);
    expect(r.drained).toBe(true);
  }, 90_000);

  it('exits within 15 s when the in-flight deliveries outlast the 10 s grace', async () => {
    const r = await runShutdownScenario(inject('redisUrl'), { holdMs: 30_000, waiting: 0, restart: false });
    expect(r.exitMs).toBeLessThanOrEqual(R4_EXIT_TARGET_MS);
    expect(r.exitMs).toBeGreaterThanOrEqual(10_000);
  }, 60_000);
});
