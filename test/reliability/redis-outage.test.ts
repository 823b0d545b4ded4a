import { describe, expect, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { R2_COMMAND_TARGET_MS, R2_RESUME_TARGET_MS, runRedisOutageScenario } from './scenarios/redis-outage.js';

describe.runIf(cliBuilt())('R2: Redis killed and restarted under the real CLI worker (fast lane: 3 s and 10 s outages)', () => {
  it('resumes polling and delivery within 30 s of Redis coming back, loses nothing acknowledged, and commands fail fast meanwhile', async () => {
    const r = await runRedisOutageScenario([3, 10]);
    expect(r.workerExited).toBe(false);
    expect(r.rawStderrLines).toBe(0);
    expect(r.lost).toBe(0);
    expect(r.duplicates).toBe(0);
    for (const o of r.outages) {
      expect(o.pollResumeMs).toBeLessThanOrEqual(R2_RESUME_TARGET_MS);
      expect(o.deliveryResumeMs).toBeLessThanOrEqual(R2_RESUME_TARGET_MS);
      for (const ms of o.commandMs) expect(ms).toBeLessThanOrEqual(R2_COMMAND_TARGET_MS);
      for (const reply of o.commandReplies) expect(reply).toMatch(/^unavailable: Newshound cannot reach its database right now/);
    }
  }, 150_000);
});
