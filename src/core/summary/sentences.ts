import {
  AFTER_CLOCK_TIME,
  MAYBE_FINAL_ABBREVIATIONS,
  NON_FINAL_ABBREVIATIONS,
  NON_FINAL_DOTTED,
  SENTENCE_OPENERS,
} from './abbreviations.js';

/**
 * Sentence splitting for news text: Unicode's sentence rules (Intl.Segmenter, ICU) propose the
 * breaks, then the abbreviation lists withdraw the ones ICU gets wrong in German and English
 * (`Dr.`, `z. B.`, `U.S. Senate`, `15. September`, `1,2 Mrd. Euro`). ICU already keeps numbers
 * (`3.5`, `12.000`), ellipses before lower case and closing quotes right; it has no abbreviation
 * data of its own in V8 (`-u-ss-standard` is ignored).
 */

/**
 * Languages that write ordinal numbers with a period (`am 15. September`): a period after a
 * number of one or two digits there is a break only before a typical sentence opener.
 */
const ORDINAL_PERIOD_LANGUAGES: ReadonlySet<string> = new Set([
  'de', 'da', 'nb', 'no', 'nn', 'fi', 'is', 'et', 'lv', 'pl', 'cs', 'sk', 'sl', 'hr', 'sr', 'bs', 'hu', 'tr',
]);

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(language: string): Intl.Segmenter {
  let segmenter = segmenters.get(language);
  if (segmenter === undefined) {
    let locale = 'en';
    try {
      locale = Intl.Segmenter.supportedLocalesOf([language])[0] ?? 'en';
    } catch {
      // Not a well-formed language tag: the root rules are the same for every language anyway.
    }
    segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
    segmenters.set(language, segmenter);
  }
  return segmenter;
}

const WS_RE = /\s+/g;
/** Opening punctuation that may stand before a word: brackets and quotes. */
const LEADING_PUNCT_RE = /^[([{„“”"'‘’‚«»‹›¿¡]+/u;
/** A dotted abbreviation without its last period: `U.S`, `z.B`, `a.m`, `J.P`. */
const DOTTED_RE = /^(?:\p{L}{1,3}\.)+\p{L}{1,3}$/u;
const SINGLE_LETTER_RE = /^\p{L}$/u;
const ORDINAL_RE = /^\d{1,2}$/;
const LOWER_START_RE = /^\p{Ll}/u;
/** A next sentence that opens with a quote or a dash is a new sentence after an ambiguous period. */
const QUOTE_OR_DASH_START_RE = /^["„“”«»‹›'‘‚–—-]/u;

/** The last whitespace-delimited token, without leading brackets or quotes. */
function lastToken(text: string): string {
  const space = text.lastIndexOf(' ');
  return text.slice(space + 1).replace(LEADING_PUNCT_RE, '');
}

/** The first word of `text`, without leading brackets or quotes and without trailing punctuation. */
function firstWord(text: string): string {
  const word = text.split(' ', 1)[0] ?? '';
  return word.replace(LEADING_PUNCT_RE, '').replace(/[^\p{L}\p{N}]+$/u, '');
}

/**
 * Whether ICU's break between `before` and `after` should be withdrawn (the period belongs to an
 * abbreviation or an ordinal, not to the end of a sentence).
 */
function continuesSentence(before: string, after: string, language: string): boolean {
  const end = before.trimEnd();
  // Only a period is ambiguous; ICU is right about ?, !, closing quotes and ellipses.
  if (!end.endsWith('.') || end.endsWith('..')) return false;
  const next = after.trimStart();
  if (LOWER_START_RE.test(next)) return true;
  const token = lastToken(end);
  const bare = token.slice(0, -1);
  if (bare === '' || bare.endsWith('.')) return false;
  const opensSentence = (): boolean => QUOTE_OR_DASH_START_RE.test(next) || SENTENCE_OPENERS.has(firstWord(next));
  // Initials (`John F. Kennedy`) and the parts of spaced abbreviations (`z. B.`, `a. M.`).
  if (SINGLE_LETTER_RE.test(bare)) return true;
  if (DOTTED_RE.test(bare)) {
    const compact = bare.replaceAll('.', '').toLowerCase();
    if (NON_FINAL_DOTTED.has(compact)) return true;
    if (compact === 'am' || compact === 'pm') return AFTER_CLOCK_TIME.has(firstWord(next));
    return !opensSentence();
  }
  if (NON_FINAL_ABBREVIATIONS.has(bare)) return true;
  if (MAYBE_FINAL_ABBREVIATIONS.has(bare)) return !opensSentence();
  if (ORDINAL_RE.test(bare) && ORDINAL_PERIOD_LANGUAGES.has(language)) return !opensSentence();
  return false;
}

/**
 * Splits one paragraph into sentences (whitespace collapsed, each trimmed). `language` is an
 * ISO 639-1 code; any other value gets the language-neutral rules plus the abbreviation lists,
 * which are harmless outside German and English.
 */
export function splitSentences(paragraph: string, language = 'en'): string[] {
  const text = paragraph.replace(WS_RE, ' ').trim();
  if (text === '') return [];
  const out: string[] = [];
  let current = '';
  for (const { segment } of segmenterFor(language).segment(text)) {
    if (current !== '' && !continuesSentence(current, segment, language)) {
      out.push(current.trim());
      current = '';
    }
    current += segment;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** Splits text into paragraphs at line breaks; blank lines are dropped, whitespace collapsed. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\r?\n|\r|\u2028|\u2029/)
    .map((line) => line.replace(WS_RE, ' ').trim())
    .filter((line) => line !== '');
}
