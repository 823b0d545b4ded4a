import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEED_MAX_BODY_BYTES } from '../../src/feeds/fetch.js';
import { decodeText } from '../../src/feeds/xml-scan.js';
import { startCanary } from '../fakes/fake-feeds.js';
import { figures, ROOT } from '../support/reliability.js';
import { ATTACKS, type Attack } from './scenarios/hostile-parse.js';

/** RELIABILITY F5: every hostile document parses in < 1 s and < 50 MiB, reads no file, fetches nothing. */
const TIME_LIMIT_MS = 1_000;
const MEMORY_LIMIT_MB = 50;

interface Probe {
  attack: Attack;
  ms: number;
  peakRssIncreaseMb: number;
  items: number;
  leaked: boolean;
}

async function probe(attack: Attack, canaryUrl: string): Promise<Probe> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/reliability/scenarios/hostile-parse.ts'), attack, canaryUrl], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out) as Probe;
}

// The existing parse-security tests check what comes out; this adds the figures: time and peak memory, one process per document.
describe('F5: hostile XML, measured in a fresh process each', () => {
  it('parses every attack in under 1 s and 50 MiB, with no file read and no canary hit', async () => {
    const canary = await startCanary();
    try {
      const results: Probe[] = [];
      for (let i = 0; i < ATTACKS.length; i += 2) results.push(...(await Promise.all(ATTACKS.slice(i, i + 2).map((a) => probe(a, canary.url('').replace(/\/$/, ''))))));
      figures('F5', {
        ...Object.fromEntries(results.map((r) => [r.attack, `${Math.round(r.ms)} ms / +${r.peakRssIncreaseMb.toFixed(1)} MiB`])),
        note: `the 10 MB document is parsed directly; over the network the fetcher stops at ${FEED_MAX_BODY_BYTES / 1048576} MiB (F3)`,
        'file contents in output': results.filter((r) => r.leaked).length,
        'canary connections': canary.connections,
      });
      for (const r of results) {
        expect(r.ms).toBeLessThan(TIME_LIMIT_MS);
        expect(r.peakRssIncreaseMb).toBeLessThan(MEMORY_LIMIT_MB);
        expect(r.leaked).toBe(false);
      }
      expect(canary.connections).toBe(0);
    } finally {
      await canary.close();
    }
  }, 60_000);
});

describe('decoding long text in pieces (the F5 memory bound)', () => {
  it('decodes references exactly, even a byte-escaped UTF-8 character at a piece boundary', () => {
    const ellipsis = '&#226;&#128;&#166;';
    for (let at = 32_760; at < 32_775; at++) {
      const raw = `${'x'.repeat(at - 1)};${ellipsis} &amp; &#65;${'y'.repeat(40_000)}`;
      expect(decodeText(raw).slice(at - 1, at + 5)).toBe(';… & A');
    }
    expect(decodeText(ellipsis.repeat(20_000))).toBe('…'.repeat(20_000));
    expect(decodeText('&nbsp;'.repeat(20_000))).toBe('\u00a0'.repeat(20_000));
    expect(decodeText('&#128;'.repeat(20_000))).toBe(decodeText('&#128;').repeat(20_000));
  });
});
