import { describe, expect, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { runRedisWipeScenario } from './scenarios/redis-wipe.js';

describe.runIf(cliBuilt())('R3: Redis restarted without persistence under the real CLI', () => {
  it('alerts none of the 1,000 items that existed before, and delivers the ones published after', async () => {
    const r = await runRedisWipeScenario({ feeds: 50, itemsPerFeed: 20, newAfter: 10 });
    expect(r.oldAlerts).toBe(0);
    expect(r.newDelivered).toBe(r.newExpected);
    expect(r.duplicates).toBe(0);
  }, 180_000);
});
