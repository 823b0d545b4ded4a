import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_SIMILARITY_THRESHOLD,
  clusterSignature,
  estimateSimilarity,
  MINHASH_BAND_ROWS,
  MINHASH_SIZE,
} from '../../src/core/cluster.js';
import { DIFFERENT_STORY_PAIRS, SAME_STORY_PAIRS, type StoryPair } from './cluster-pairs.js';

function similarity(pair: StoryPair): { similarity: number; sharedBands: number } {
  const a = clusterSignature(pair.a.title, pair.a.lead);
  const b = clusterSignature(pair.b.title, pair.b.lead);
  return { similarity: estimateSimilarity(a, b), sharedBands: a.bands.filter((band) => b.bands.includes(band)).length };
}

describe('clusterSignature', () => {
  it('has enough pairs of both kinds in both languages', () => {
    for (const pairs of [SAME_STORY_PAIRS, DIFFERENT_STORY_PAIRS]) {
      expect(pairs.filter((p) => p.name.startsWith('en:')).length).toBeGreaterThanOrEqual(3);
      expect(pairs.filter((p) => p.name.startsWith('de:')).length).toBeGreaterThanOrEqual(3);
      expect(pairs.length).toBeGreaterThanOrEqual(6);
    }
  });

  it.each(SAME_STORY_PAIRS.map((p) => [p.name, p] as const))('clusters a rewritten headline over the same agency lead: %s', (_name, pair) => {
    const { similarity: s, sharedBands } = similarity(pair);
    expect(s).toBeGreaterThanOrEqual(CLUSTER_SIMILARITY_THRESHOLD + 0.1);
    expect(sharedBands).toBeGreaterThan(0);
  });

  it.each(DIFFERENT_STORY_PAIRS.map((p) => [p.name, p] as const))('keeps different stories on the same subject apart: %s', (_name, pair) => {
    expect(similarity(pair).similarity).toBeLessThanOrEqual(CLUSTER_SIMILARITY_THRESHOLD - 0.1);
  });

  it('separates the two kinds with a margin around the threshold', () => {
    const same = SAME_STORY_PAIRS.map((p) => similarity(p).similarity);
    const different = DIFFERENT_STORY_PAIRS.map((p) => similarity(p).similarity);
    expect(Math.min(...same)).toBeGreaterThan(CLUSTER_SIMILARITY_THRESHOLD);
    expect(Math.max(...different)).toBeLessThan(CLUSTER_SIMILARITY_THRESHOLD);
  });

  it('gives identical stories similarity 1 and all bands in common', () => {
    const pair = SAME_STORY_PAIRS[0]!;
    const a = clusterSignature(pair.a.title, pair.a.lead);
    const b = clusterSignature(pair.a.title.toUpperCase(), `  ${pair.a.lead}`);
    expect(estimateSimilarity(a, b)).toBe(1);
    expect(b.bands).toEqual(a.bands);
  });

  it('produces short, stable band keys usable as Redis key suffixes', () => {
    const signature = clusterSignature('Microsoft bestätigt Interesse an Tiktok', 'Der US-Softwarekonzern Microsoft hat Gespräche bestätigt.');
    expect(signature.minhash).toHaveLength(MINHASH_SIZE);
    expect(signature.bands).toHaveLength(MINHASH_SIZE / MINHASH_BAND_ROWS);
    for (const band of signature.bands) expect(band).toMatch(/^\d{1,2}:[0-9a-f]{16}$/);
    // Fixed expectations: a change here changes every stored band key (clusters across a deploy).
    expect(signature.bands.slice(0, 2)).toEqual(['0:21734a275eb04360', '1:6005cc6db0f78536']);
  });

  it('gives no signature to text too short to call two stories the same', () => {
    expect(clusterSignature('Liveticker', '')).toEqual({ minhash: [], bands: [] });
    expect(clusterSignature('', '')).toEqual({ minhash: [], bands: [] });
    expect(estimateSimilarity({ minhash: [] }, clusterSignature('a b c d e', ''))).toBe(0);
  });

  it('only uses the start of the lead text', () => {
    const lead = 'Die Europäische Zentralbank hat erstmals seit 2019 die Zinsen gesenkt, teilte die Notenbank mit.';
    const a = clusterSignature('EZB senkt Zinsen', `${lead} ${'Mehr dazu später. '.repeat(40)}`);
    const b = clusterSignature('EZB senkt Zinsen', `${lead} ${'Weitere Einzelheiten folgen. '.repeat(40)}`);
    expect(estimateSimilarity(a, b)).toBeGreaterThan(0.6);
  });

  it('estimates the Jaccard similarity of the shingle sets within sampling error', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    fc.assert(
      fc.property(fc.shuffledSubarray(words, { minLength: 10 }), fc.shuffledSubarray(words, { minLength: 10 }), (x, y) => {
        // Distinct single-word titles: each word pair is a shingle, so the sets are known.
        const shingles = (list: string[]): Set<string> => new Set(list.slice(1).map((w, i) => `${list[i]} ${w}`));
        const a = shingles(x);
        const b = shingles(y);
        const intersection = [...a].filter((s) => b.has(s)).length;
        const jaccard = intersection / (a.size + b.size - intersection);
        const estimate = estimateSimilarity(clusterSignature(x.join(' '), ''), clusterSignature(y.join(' '), ''));
        expect(Math.abs(estimate - jaccard)).toBeLessThan(0.25);
      }),
      { numRuns: 200 },
    );
  });
});
