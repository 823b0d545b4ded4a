import { describe, expect, inject, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { R1_RESUME_TARGET_MS, runWorkerCrashScenario } from './scenarios/worker-crash.js';

// Full size (RELIABILITY R1): 500 stories × 4 channels, 5 kills; Slack's 1 msg/s per channel makes it take ~9 minutes.
describe.runIf(cliBuilt())('R1 soak: a worker SIGKILLed 5 times during 2,000 deliveries', () => {
  it('loses no alert and shows none twice', async () => {
    const r = await runWorkerCrashScenario(inject('redisUrl'), { stories: 500, kills: 5, inFlightKills: 3, seed: 7 });
    expect(r.lost).toBe(0);
    expect(r.duplicates).toEqual({ discord: 0, slack: 0 });
    expect(r.ambiguous).toBe(0);
    expect(r.failedJobs).toBe(0);
    for (const k of r.kills) {
      expect(k.resumeMs).toBeLessThanOrEqual(R1_RESUME_TARGET_MS);
      expect(k.requeuedMs).toBeLessThanOrEqual(R1_RESUME_TARGET_MS);
    }
  });
});
