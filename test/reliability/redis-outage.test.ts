import { describe, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { expectR2Targets, runRedisOutageScenario } from './scenarios/redis-outage.js';

describe.runIf(cliBuilt())('R2: Redis killed and restarted under the real CLI worker (fast lane: 3 s and 10 s outages)', () => {
  it('resumes polling and delivery within 30 s of Redis coming back, loses nothing acknowledged, and commands fail fast meanwhile', async () => {
    const r = await runRedisOutageScenario([3, 10]);
    expectR2Targets(r);
  }, 150_000);
});
