import { PNG } from 'pngjs';

/** Size and colours of {@link barChartPng}. */
export interface BarChartStyle {
  width: number;
  height: number;
  /** RGB of the bars. */
  bar: [number, number, number];
  /** RGB of the baseline (empty days show only it). */
  axis: [number, number, number];
}

const DEFAULT_STYLE: BarChartStyle = { width: 280, height: 96, bar: [0x58, 0x65, 0xf2], axis: [0x99, 0xaa, 0xb5] };

/** Empty space around the plot and between bars, in pixels. */
const PADDING = 6;
const GAP = 6;
const AXIS_HEIGHT = 2;

/**
 * A small bar chart as a PNG (transparent background, so it suits light and dark themes): one
 * bar per value, heights proportional to the largest value, a baseline under them. Numbers and
 * labels stay in the message text next to it: a chart without a font needs no font files.
 */
export function barChartPng(values: readonly number[], style: Partial<BarChartStyle> = {}): Buffer {
  const { width, height, bar, axis } = { ...DEFAULT_STYLE, ...style };
  const png = new PNG({ width, height });
  png.data.fill(0);
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: [number, number, number]) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const i = (y * width + x) * 4;
        png.data[i] = r;
        png.data[i + 1] = g;
        png.data[i + 2] = b;
        png.data[i + 3] = 255;
      }
    }
  };
  const baseY = height - PADDING - AXIS_HEIGHT;
  fill(PADDING, baseY, width - PADDING, baseY + AXIS_HEIGHT, axis);
  const n = values.length;
  if (n > 0) {
    const max = Math.max(...values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0)));
    const slot = (width - 2 * PADDING) / n;
    const plotHeight = baseY - PADDING;
    values.forEach((value, i) => {
      if (!(max > 0 && value > 0)) return;
      // Any non-zero day gets at least 2 px, so "one alert" is visible next to "a hundred".
      const h = Math.max(2, Math.round((value / max) * plotHeight));
      const x0 = Math.round(PADDING + i * slot + GAP / 2);
      const x1 = Math.round(PADDING + (i + 1) * slot - GAP / 2);
      fill(x0, baseY - h, x1, baseY, bar);
    });
  }
  return PNG.sync.write(png);
}

/** Heights in pixels of the bars of a PNG made by {@link barChartPng} (for tests and checks). */
export function barHeights(pngBytes: Buffer, bars: number, style: Partial<BarChartStyle> = {}): number[] {
  const { width, height } = { ...DEFAULT_STYLE, ...style };
  const png = PNG.sync.read(pngBytes);
  if (png.width !== width || png.height !== height) throw new Error(`expected a ${width}×${height} chart, got ${png.width}×${png.height}`);
  const slot = (width - 2 * PADDING) / bars;
  const baseY = height - PADDING - AXIS_HEIGHT;
  return Array.from({ length: bars }, (_, i) => {
    const x = Math.round(PADDING + (i + 0.5) * slot);
    let h = 0;
    while (baseY - h - 1 >= 0 && png.data[((baseY - h - 1) * width + x) * 4 + 3] === 255) h++;
    return h;
  });
}
