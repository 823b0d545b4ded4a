import { describe, expect, inject, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { R1_RESUME_TARGET_MS, runWorkerCrashScenario } from './scenarios/worker-crash.js';

// The worker runs as its own process (test/support/reliability-worker.ts) so it can be SIGKILLed.
// 25 stories × 8 channels: the same 200 deliveries as 50 × 4, in half the time (Slack allows 1 message/s per channel).
describe.runIf(cliBuilt())('R1: a worker SIGKILLed mid-delivery (fast lane: 200 deliveries, 2 kills)', () => {
  it('loses no alert and shows none twice when the worker is killed twice with a request in flight', async () => {
    const r = await runWorkerCrashScenario(inject('redisUrl'), { stories: 25, channelsPerPlatform: 4, kills: 2, inFlightKills: 2, seed: 1 });
    expect(r.lost).toBe(0);
    expect(r.duplicates).toEqual({ discord: 0, slack: 0 });
    expect(r.ambiguous).toBe(0);
    expect(r.failedJobs).toBe(0);
    for (const k of r.kills) {
      expect(k.cutShort).toBeGreaterThan(0);
      expect(k.resumeMs).toBeLessThanOrEqual(R1_RESUME_TARGET_MS);
      expect(k.requeuedMs).toBeLessThanOrEqual(R1_RESUME_TARGET_MS);
      expect(k.visibleMs).toBeLessThan(Number.POSITIVE_INFINITY);
    }
  }, 180_000);
});
