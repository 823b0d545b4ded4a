import { describe, expect, inject, it } from 'vitest';
import { cliBuilt } from '../support/reliability.js';
import { R7_LAG_P99_TARGET_MS, R7_RSS_GROWTH_TARGET_PER_HOUR, runSoakScenario } from './scenarios/soak.js';

/** RELIABILITY R7: 10 minutes here (SOAK_MINUTES=60 for the nightly hour). */
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
/** The soak itself, plus setup and the wait for the last deliveries. */
const TIMEOUT_MS = (MINUTES + 10) * 60_000;

describe.runIf(cliBuilt())(`R7 soak: the CLI worker for ${MINUTES} minutes with 200 feeds and 50 channels`, () => {
  it('keeps memory flat and the event loop responsive, stalls nothing, and delivers every story to every channel once', async () => {
    const r = await runSoakScenario(inject('redisUrl'), { minutes: MINUTES, feeds: 200, channels: 50, publishEveryMs: 3_000 });
    expect(r.workerExited).toBe(false);
    expect(r.lost).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.stalled).toBe(0);
    expect(r.unhandledRejections).toBe(0);
    expect(r.lagP99MaxMs).toBeLessThan(R7_LAG_P99_TARGET_MS);
    expect(r.rssGrowthPerHour).toBeLessThan(R7_RSS_GROWTH_TARGET_PER_HOUR);
  }, TIMEOUT_MS);
});
