import { describe, expect, inject, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { R4_EXIT_TARGET_MS, runShutdownScenario } from './scenarios/graceful-shutdown.js';

// Deliveries that outlast the grace are cut short; after production's 30 s lock they are taken again.
describe.runIf(cliBuilt())('R4 soak: SIGTERM while 10 deliveries outlast the 10 s grace', () => {
  it('exits within 15 s, and after a restart every cut-short alert shows exactly once', async () => {
    const r = await runShutdownScenario(inject('redisUrl'), { holdMs: 20_000, waiting: 10, restart: true });
    expect(r.exitMs).toBeLessThanOrEqual(R4_EXIT_TARGET_MS);
    expect(r.delivered).toBe(r.expected);
    expect(r.duplicates).toBe(0);
    expect(r.drained).toBe(true);
    expect(r.stalled).toBe(r.leftActive);
  });
});
