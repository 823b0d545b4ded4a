import { htmlToText } from '../html-text.js';

/**
 * Text normalization shared by topic queries and stories: both sides go through the same
 * functions, so whatever is folded away (case, diacritics, `ß`) is folded away on both.
 */

const NON_ASCII_RE = /[^\p{ASCII}]/u;
/** Characters whose case folding `toLowerCase` does not do (after lower-casing). */
const FOLD_RE = /[ßς]/g;
const FOLDS: Readonly<Record<string, string>> = { ß: 'ss', ς: 'σ' };
/**
 * Combining marks, except the kana voicing marks: NFC recomposes those into the voiced kana
 * (`が`), which are different words from their unvoiced forms in Japanese.
 */
const MARK_RE = /(?![\u3099\u309a])\p{M}/gu;

/**
 * Scripts written without spaces between words. Matched by script extension so that the kana
 * prolonged-sound mark `ー` and the iteration mark `々` (script Common) belong to the run.
 */
const SPACELESS_CLASS = String.raw`\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}`;
const SPACELESS_ANY_RE = new RegExp(`[${SPACELESS_CLASS}]`, 'u');
const SPACELESS_START_RE = new RegExp(`^[${SPACELESS_CLASS}]`, 'u');
/** A word: a run of letters and digits (marks belong to the letter they follow). */
const RUN_RE = /[\p{L}\p{N}\p{M}]+/gu;
/** The same for ASCII-only text (most text once diacritics are gone), several times faster. */
const ASCII_RUN_RE = /[a-zA-Z0-9]+/g;
/** Splits a run at script changes between space-less and other scripts (`tiktok字节` → 2 tokens). */
const SPLIT_RUN_RE = new RegExp(`[${SPACELESS_CLASS}]+|[^${SPACELESS_CLASS}]+`, 'gu');
const URL_RE = /(?<![\p{L}\p{N}])https?:\/\/\S*/giu;

function isAscii(s: string): boolean {
  return !NON_ASCII_RE.test(s);
}

/**
 * Normalizes text for matching: Unicode NFKC, lower case with full folding of `ß`/`ẞ` (→ `ss`)
 * and final sigma, combining marks removed (`café` → `cafe`, `München` → `munchen`).
 * Idempotent: `normalizeText(normalizeText(s)) === normalizeText(s)`. Word separators are kept
 * as they are; {@link splitWords} splits.
 */
export function normalizeText(s: string): string {
  if (isAscii(s)) return s.toLowerCase();
  let t = s.normalize('NFKC').toLowerCase();
  t = t.replace(FOLD_RE, (c) => FOLDS[c] ?? c);
  // NFC last: it recomposes Hangul syllables and voiced kana that NFD took apart.
  return t.normalize('NFD').replace(MARK_RE, '').normalize('NFC');
}

/** True when a normalized token belongs to a space-less script (Han, kana, Thai ...). */
export function isSpaceless(token: string): boolean {
  return SPACELESS_START_RE.test(token);
}

/**
 * Splits normalized text into tokens: runs of letters and digits, with runs of space-less
 * scripts as tokens of their own. Anything else (punctuation, symbols, emoji, spaces)
 * separates tokens, so `tiktok-verbot` → `tiktok`, `verbot` and `🔥tiktok🔥` → `tiktok`.
 */
export function splitWords(normalized: string): string[] {
  const out: string[] = [];
  const ascii = isAscii(normalized);
  const spaceless = !ascii && SPACELESS_ANY_RE.test(normalized);
  for (const m of normalized.matchAll(ascii ? ASCII_RUN_RE : RUN_RE)) {
    if (spaceless) for (const part of m[0].matchAll(SPLIT_RUN_RE)) out.push(part[0]);
    else out.push(m[0]);
  }
  return out;
}

/** What a story offers to matching. */
export interface DocumentInput {
  title: string;
  /** Body or summary as HTML; converted with `htmlToText`. */
  html?: string;
  /** Body or summary as plain text. */
  text?: string;
  categories?: readonly string[];
}

/**
 * A story prepared for matching; build with {@link prepareDocument}, then match it against any
 * number of topics. Treat as immutable.
 */
export interface PreparedDocument {
  /** Distinct words, excluding space-less script runs. */
  readonly words: ReadonlySet<string>;
  /**
   * `words` plus every word with a final `s` or `es` removed, so a term `t` that also accepts
   * `t+s`/`t+es` matches exactly when `stems.has(t)`.
   */
  readonly stems: ReadonlySet<string>;
  /** Runs of space-less scripts (searched as substrings). */
  readonly spaceless: readonly string[];
  /**
   * All tokens in order for phrase search: one space between tokens of a line, `\n` between
   * lines and fields, and a `\n` at both ends, so every token is delimited on both sides.
   */
  readonly sequence: string;
}

interface Builder {
  words: Set<string>;
  stems: Set<string>;
  spaceless: string[];
  sequence: string;
}

function addToken(b: Builder, token: string, spacelessText: boolean): void {
  if (spacelessText && isSpaceless(token)) {
    b.spaceless.push(token);
    return;
  }
  if (b.words.has(token)) return;
  b.words.add(token);
  b.stems.add(token);
  const n = token.length;
  if (n > 1 && token.charCodeAt(n - 1) === 0x73 /* s */) {
    b.stems.add(token.slice(0, n - 1));
    if (n > 2 && token.charCodeAt(n - 2) === 0x65 /* e */) b.stems.add(token.slice(0, n - 2));
  }
}

function addField(b: Builder, raw: string): void {
  const text = normalizeText(raw.includes('://') ? raw.replace(URL_RE, ' ') : raw);
  const ascii = isAscii(text);
  const spacelessText = !ascii && SPACELESS_ANY_RE.test(text);
  const runs = ascii ? ASCII_RUN_RE : RUN_RE;
  let nextBreak = text.indexOf('\n');
  let first = true;
  runs.lastIndex = 0;
  for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
    let sep = ' ';
    if (nextBreak !== -1 && m.index > nextBreak) {
      sep = '\n';
      nextBreak = text.indexOf('\n', m.index);
    }
    if (spacelessText) {
      for (const part of m[0].matchAll(SPLIT_RUN_RE)) {
        b.sequence += first ? part[0] : sep + part[0];
        first = false;
        sep = ' ';
        addToken(b, part[0], true);
      }
    } else {
      b.sequence += first ? m[0] : sep + m[0];
      first = false;
      addToken(b, m[0], false);
    }
  }
  if (!first) b.sequence += '\n';
}

/**
 * Prepares a story for matching: HTML to text, URLs removed, normalization, tokenization.
 * Title, body text and categories are searched; a phrase never spans two fields or lines.
 */
export function prepareDocument(input: DocumentInput): PreparedDocument {
  const b: Builder = { words: new Set(), stems: new Set(), spaceless: [], sequence: '\n' };
  addField(b, input.title);
  if (input.html !== undefined && input.html !== '') addField(b, htmlToText(input.html));
  if (input.text !== undefined && input.text !== '') addField(b, input.text);
  for (const category of input.categories ?? []) addField(b, category);
  return b;
}
