import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { digestKey, digestPattern, parseDeliveryMode, parseQuietHours, quietUntil, sparkline } from '../../src/core/schedule.js';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();

describe('quiet hours', () => {
  const night = parseQuietHours('22:00-07:00')!;

  it.each([
    ['2025-03-10T21:59', undefined],
    ['2025-03-10T22:00', '2025-03-11T07:00'],
    ['2025-03-10T23:30', '2025-03-11T07:00'],
    ['2025-03-11T03:00', '2025-03-11T07:00'],
    ['2025-03-11T06:59', '2025-03-11T07:00'],
    ['2025-03-11T07:00', undefined],
    ['2025-03-11T12:00', undefined],
  ])('at %s Berlin time the window ends at %s', (local, end) => {
    const until = quietUntil(at(local, 'Europe/Berlin'), night, 'Europe/Berlin');
    expect(until).toBe(end === undefined ? undefined : at(end, 'Europe/Berlin'));
  });

  it('handles a window inside one day and a DST change', () => {
    const lunch = parseQuietHours('12:00 - 13:30')!;
    expect(quietUntil(at('2025-06-01T12:15', 'UTC'), lunch, 'UTC')).toBe(at('2025-06-01T13:30', 'UTC'));
    // The night Berlin moves its clocks forward (30 March 2025): the window still ends at 07:00 local.
    expect(quietUntil(at('2025-03-30T01:30', 'Europe/Berlin'), night, 'Europe/Berlin')).toBe(at('2025-03-30T07:00', 'Europe/Berlin'));
  });

  it.each(['22:00', '25:00-07:00', '07:00-07:00', 'late-early', '22:00-07:00-08:00'])('refuses %j', (text) => {
    expect(parseQuietHours(text)).toBeUndefined();
  });
});

describe('delivery modes', () => {
  it.each([
    ['instant', { kind: 'instant' }],
    ['off', { kind: 'instant' }],
    ['hourly', { kind: 'hourly' }],
    ['daily', { kind: 'daily', at: '08:00' }],
    ['Daily 7:30', { kind: 'daily', at: '07:30' }],
    ['daily 24:00', undefined],
    ['weekly', undefined],
  ])('%j → %j', (text, mode) => {
    expect(parseDeliveryMode(text)).toEqual(mode);
  });

  it('turns modes into cron patterns and stable keys', () => {
    expect(digestPattern({ kind: 'hourly' })).toBe('0 * * * *');
    expect(digestPattern({ kind: 'daily', at: '07:30' })).toBe('30 7 * * *');
    expect(digestKey({ kind: 'daily', at: '07:30' })).toBe('daily-0730');
  });
});

describe('sparkline', () => {
  it('scales counts to eight levels', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});
