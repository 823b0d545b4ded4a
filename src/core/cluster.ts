import { isSpaceless, normalizeText, splitWords } from './text/normalize.js';

/**
 * Near-duplicate detection for cross-outlet clustering: MinHash over word shingles of the title
 * and the start of the lead text, with LSH bands as lookup keys. Pure; the band → cluster
 * store lives in storage/.
 *
 * Protocol: a story's `bands` are candidate keys; a story sharing at least one band with a
 * recent story is a candidate, and joins that story's cluster only when
 * `estimateSimilarity(a, b) >= CLUSTER_SIMILARITY_THRESHOLD`.
 */

/** Number of MinHash values per signature. */
export const MINHASH_SIZE = 96;
/**
 * MinHash values per LSH band; `MINHASH_SIZE / MINHASH_BAND_ROWS` = 32 bands per story. Two
 * stories share a band with probability 1 - (1 - J³)³²: 0.88 at similarity 0.4, 0.99 at 0.5,
 * 0.40 at 0.25 (those are then rejected by the similarity check).
 */
export const MINHASH_BAND_ROWS = 3;
/** Characters of lead text (after normalization) that take part, after the title. */
export const CLUSTER_LEAD_CHARS = 300;
/** Stories with fewer shingles get no signature (too little text to call them duplicates). */
export const CLUSTER_MIN_SHINGLES = 3;
/**
 * Estimated Jaccard similarity of shingle sets from which two stories are the same story.
 * Chosen from the pairs in test/core/cluster-pairs.ts: same-story pairs (rewritten headline,
 * agency lead reused with edits) estimate 0.54-0.89, different stories on the same subject
 * 0.00-0.25 (two ECB rate decisions in the same agency wording being the closest). 0.4 sits
 * in the gap, about three standard errors of a 96-value estimate from either side.
 */
export const CLUSTER_SIMILARITY_THRESHOLD = 0.4;

/** MinHash signature and LSH band keys of a story. */
export interface ClusterSignature {
  /** `MINHASH_SIZE` unsigned 32-bit values; empty when the text is too short. */
  minhash: number[];
  /**
   * One key per band, `<band>:<16 hex digits>`, e.g. `3:0f1e2d3c4b5a6978`; stable across
   * processes and versions of Node. Empty when the text is too short.
   */
  bands: string[];
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalized. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** Fixed seeds (splitmix32 from a constant): signatures must not change between runs. */
const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(MINHASH_SIZE);
  let state = 0x6e657773; // "news"
  for (let i = 0; i < MINHASH_SIZE; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    seeds[i] = fmix32(state);
  }
  return seeds;
})();

/** Tokens for shingling: words, and single characters of space-less scripts. */
function shingleTokens(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const word of splitWords(normalizeText(text))) {
    if (chars >= maxChars) break;
    chars += word.length + 1;
    if (isSpaceless(word)) out.push(...word);
    else out.push(word);
  }
  return out;
}

/**
 * An agency dateline that one outlet keeps and another drops ("WASHINGTON (Reuters) - ",
 * "Berlin (dpa) - "): removed so that both leads start, and are cut, at the same word.
 */
const DATELINE_RE = /^[^()\n]{0,40}\([^()\n]{1,24}\)\s*[-–—:]\s*/u;

function addShingles(tokens: readonly string[], into: Set<number>): void {
  if (tokens.length === 1) into.add(hashString(tokens[0] ?? ''));
  for (let i = 0; i + 1 < tokens.length; i++) into.add(hashString(`${tokens[i]} ${tokens[i + 1]}`));
}

/**
 * Signature of a story from its title and lead text (plain text; only the first
 * {@link CLUSTER_LEAD_CHARS} characters count). Shingles are pairs of consecutive words,
 * taken separately in the title and the lead.
 */
export function clusterSignature(title: string, leadText: string): ClusterSignature {
  const shingles = new Set<number>();
  addShingles(shingleTokens(title, Infinity), shingles);
  addShingles(shingleTokens(leadText.trimStart().replace(DATELINE_RE, ''), CLUSTER_LEAD_CHARS), shingles);
  if (shingles.size < CLUSTER_MIN_SHINGLES) return { minhash: [], bands: [] };
  const mins = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = fmix32(shingle ^ (SEEDS[i] ?? 0));
      if (h < (mins[i] ?? 0)) mins[i] = h;
    }
  }
  const minhash = Array.from(mins);
  const bands: string[] = [];
  for (let band = 0; band * MINHASH_BAND_ROWS < MINHASH_SIZE; band++) {
    let h1 = 0x62616e64 ^ band;
    let h2 = 0x6b657973 ^ band;
    for (let row = band * MINHASH_BAND_ROWS; row < (band + 1) * MINHASH_BAND_ROWS; row++) {
      const value = mins[row] ?? 0;
      h1 = fmix32(h1 ^ value);
      h2 = fmix32(Math.imul(h2, 31) ^ value ^ 0x5bd1e995);
    }
    bands.push(`${band}:${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`);
  }
  return { minhash, bands };
}

/** Estimated Jaccard similarity (0..1) of two signatures; 0 when either is empty. */
export function estimateSimilarity(a: Pick<ClusterSignature, 'minhash'>, b: Pick<ClusterSignature, 'minhash'>): number {
  const n = Math.min(a.minhash.length, b.minhash.length);
  if (n === 0) return 0;
  let equal = 0;
  for (let i = 0; i < n; i++) if (a.minhash[i] === b.minhash[i]) equal++;
  return equal / n;
}
