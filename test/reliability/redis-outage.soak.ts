import { describe, expect, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { R2_COMMAND_TARGET_MS, R2_RESUME_TARGET_MS, runRedisOutageScenario } from './scenarios/redis-outage.js';

// 60 s is longer than the worker's 30 s job locks: jobs in flight when Redis died are taken again.
describe.runIf(cliBuilt())('R2 soak: Redis down for 3 s, 10 s and 60 s under the real CLI worker', () => {
  it('resumes within 30 s each time, loses nothing acknowledged, shows nothing twice, and never exits', async () => {
    const r = await runRedisOutageScenario([3, 10, 60]);
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
  });
});
