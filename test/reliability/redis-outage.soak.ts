import { describe, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { expectR2Targets, runRedisOutageScenario } from './scenarios/redis-outage.js';

// 60 s is longer than the worker's 30 s job locks: jobs in flight when Redis died are taken again.
describe.runIf(cliBuilt())('R2 soak: Redis down for 3 s, 10 s and 60 s under the real CLI worker', () => {
  it('resumes within 30 s each time, loses nothing acknowledged, shows nothing twice, and never exits', async () => {
    const r = await runRedisOutageScenario([3, 10, 60]);
    expectR2Targets(r);
  });
});
