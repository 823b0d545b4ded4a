import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { barChartPng, barHeights } from '../../src/core/chart-png.js';

describe('barChartPng', () => {
  it('draws one bar per value, proportional to the largest, on a transparent 280×96 PNG', () => {
    const bytes = barChartPng([0, 1, 2, 4, 8, 0, 8]);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).toEqual([280, 96]);
    expect(png.data[3]).toBe(0);
    const [zero, one, two, four, eight, none, eightAgain] = barHeights(bytes, 7);
    expect(zero).toBe(0);
    expect(none).toBe(0);
    expect(eight).toBe(eightAgain);
    expect(eight).toBe(82);
    expect(four).toBe(41);
    expect(two).toBe(Math.round(82 / 4));
    expect(one).toBe(Math.round(82 / 8));
  });

  it('keeps a small day visible next to a big one and draws only the baseline when all are zero', () => {
    expect(barHeights(barChartPng([1, 1000]), 2)[0]).toBe(2);
    expect(barHeights(barChartPng([0, 0, 0]), 3)).toEqual([0, 0, 0]);
    expect(barHeights(barChartPng([]), 1)).toEqual([0]);
  });
});
