import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  FEED_BACKOFF_CAP_MS,
  nextPollAfterSuccess,
  shouldDisable,
} from '../../src/core/feed.js';

const noJitter = () => 0.5;

describe('backoffDelayMs', () => {
  it('doubles the interval per consecutive failure', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 300, noJitter))).toEqual([300_000, 600_000, 1_200_000, 2_400_000]);
  });

  it('never waits longer than 24 hours', () => {
    expect(backoffDelayMs(30, 300, () => 0.999)).toBe(FEED_BACKOFF_CAP_MS);
  });

  it('jitters by at most 10 %', () => {
    expect(backoffDelayMs(1, 300, () => 0)).toBe(270_000);
    expect(backoffDelayMs(1, 300, () => 1)).toBe(330_000);
  });

  it('makes at most 15 requests in 48 hours to a feed that always fails, and disables it', () => {
    let t = 0;
    let failures = 0;
    let first: number | undefined;
    let requests = 0;
    let disabledAt: number | undefined;
    while (t <= 48 * 3_600_000 && disabledAt === undefined) {
      requests++;
      failures++;
      first ??= t;
      if (shouldDisable(failures, first, t)) disabledAt = t;
      t += backoffDelayMs(failures, 300, noJitter);
    }
    expect(requests).toBeLessThanOrEqual(15);
    expect(disabledAt === undefined || failures >= 10).toBe(true);
  });
});

describe('shouldDisable', () => {
  const day = 24 * 3_600_000;
  it.each([
    [9, 0, 2 * day, false],
    [10, 0, day - 1, false],
    [10, 0, day, true],
    [25, 0, 3 * day, true],
  ])('%i failures from %i to %i → %s', (failures, first, now, expected) => {
    expect(shouldDisable(failures, first, now)).toBe(expected);
  });
});

describe('nextPollAfterSuccess', () => {
  it('honours a <ttl> longer than the interval, capped at 15 minutes', () => {
    expect(nextPollAfterSuccess(0, 60, { ttlMinutes: 10 })).toBe(600_000);
    expect(nextPollAfterSuccess(0, 60, { ttlMinutes: 120 })).toBe(900_000);
  });

  it('ignores hints shorter than the interval', () => {
    expect(nextPollAfterSuccess(0, 300, { maxAgeSeconds: 60 })).toBeUndefined();
    expect(nextPollAfterSuccess(0, 300, {})).toBeUndefined();
  });
});
