import { normalizeText, splitWords } from '../text/normalize.js';
import { isBoilerplate } from './boilerplate.js';
import { clipAtWord } from './clip.js';
import { detectLanguage, primaryLanguage } from './language.js';
import { SUMMARY_MAX_CHARS, SUMMARY_MAX_SENTENCES } from './limits.js';
import { splitParagraphs, splitSentences } from './sentences.js';
import { STOPWORDS } from './stopwords.js';

export { SUMMARY_MAX_CHARS, SUMMARY_MAX_SENTENCES };

/** What to summarize. */
export interface SummaryInput {
  /** Plain text (convert HTML first), paragraphs separated by line breaks. */
  text: string;
  /** The headline: its words mark what the story is about; a sentence repeating it is skipped. */
  title?: string;
  /** ISO 639-1 code when it is known for sure (`--lang de`); detected otherwise. */
  language?: string;
  /** Used when the text is too short to tell its language (the feed's declared language). */
  languageHint?: string;
  /** Terms that made the story match a subscription: sentences carrying them are preferred. */
  terms?: readonly string[];
  maxChars?: number;
  maxSentences?: number;
}

/** A summary: text taken verbatim from the input, in the input's language. */
export interface Summary {
  text: string;
  /** ISO 639-1 code, or `undefined` when the language could not be told. */
  language: string | undefined;
  /** `extractive`: whole sentences; `clipped`: no sentence fitted, so the first one is cut at a word. */
  method: 'extractive' | 'clipped';
  sentences: number;
}

interface Candidate {
  text: string;
  /** Order among candidates, which is document order. */
  order: number;
  paragraph: number;
  /** Content-word stems (see {@link stemsOf}). */
  stems: ReadonlySet<string>;
  words: ReadonlySet<string>;
  score: number;
  /** Opens with a word that points back (`Er`, `This`, `However`): weak without its predecessor. */
  leansBack: boolean;
}

/** Sentences end like this; a paragraph without such an ending is a heading, caption or link. */
const TERMINAL_RE = /[.!?…]["'“”„»«’‘)\]]*$/u;
/** `BERLIN (dpa) - ` and the like before a lead sentence: credits, not story. */
const DATELINE_RE = /^\p{Lu}[\p{L} ./-]{1,40}?\s*\((?:[\p{L}/ .]{2,24})\)\s*[-–—:]\s*/u;
const QUOTE_OPEN_RE = /^["„“”«»‚‘'’]/u;
const LEANS_BACK: ReadonlySet<string> = new Set([
  'er', 'sie', 'es', 'dies', 'diese', 'dieser', 'dieses', 'damit', 'dabei', 'dadurch', 'deshalb', 'daher', 'zudem',
  'ausserdem', 'auch', 'aber', 'doch', 'jedoch', 'allerdings', 'trotzdem', 'dennoch', 'danach', 'dort', 'he', 'she',
  'it', 'they', 'this', 'that', 'these', 'those', 'but', 'however', 'also', 'meanwhile', 'still', 'there', 'his',
  'her', 'their', 'its', 'such', 'yet', 'nevertheless', 'instead',
]);
const MIN_SENTENCE_WORDS = 5;
const MIN_SENTENCE_CHARS = 25;
/** How much a headline word adds to a stem's weight (recurring stems add log(1 + recurrences)). */
const TITLE_WEIGHT = 0.6;
/** Position prior: 1 / (1 + POSITION_DECAY × n) for the n-th candidate sentence. */
const POSITION_DECAY = 0.8;
/** Only the best few candidates are combined; sentences further down the ranking never win. */
const SHORTLIST = 10;
/** Each chosen sentence must be worth at least this much, so a weak third sentence is left out. */
const SENTENCE_COST = 0.25;

/** Content words: normalized, without stop words and one- or two-letter words (numbers stay). */
function contentWords(text: string): string[] {
  return splitWords(normalizeText(text)).filter((w) => !STOPWORDS.has(w) && (w.length > 2 || /^\d+$/.test(w)));
}

/**
 * A crude stem, the first seven characters: `Regierung`/`Regierungen`, `council`/`councillors`
 * and `Tiktoks`/`Tiktok` meet, which is all that counting a story's central words needs.
 */
function stem(word: string): string {
  return word.length > 7 ? word.slice(0, 7) : word.replace(/(?:es|s)$/, '');
}

function stemsOf(words: readonly string[]): Set<string> {
  return new Set(words.map(stem));
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared += 1;
  return shared / Math.min(a.size, b.size);
}

/** The share of `a`'s stems that are also in `b`. */
function shareIn(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared += 1;
  return shared / a.size;
}

/** A matched term as words to look for; a trailing `*` makes the last one a prefix. */
interface TermProbe {
  words: string[];
  prefix: boolean;
}

function termProbes(terms: readonly string[]): TermProbe[] {
  return terms
    .map((term) => ({ words: splitWords(normalizeText(term)), prefix: term.trim().endsWith('*') }))
    .filter((p) => p.words.length > 0);
}

function carriesTerm(words: ReadonlySet<string>, probes: readonly TermProbe[]): boolean {
  return probes.some(({ words: termWords, prefix }) =>
    termWords.every((w, i) => {
      if (prefix && i === termWords.length - 1) return [...words].some((x) => x.startsWith(w));
      return words.has(w) || words.has(`${w}s`) || words.has(`${w}es`);
    }),
  );
}

/** Splits the text into candidate sentences (boilerplate, headings and fragments left out). */
function candidatesOf(text: string, language: string, titleStems: ReadonlySet<string>, maxChars: number) {
  const candidates: Candidate[] = [];
  const longOnes: string[] = [];
  const allStems: Array<Set<string>> = [];
  splitParagraphs(text).forEach((paragraph, p) => {
    if (isBoilerplate(paragraph) || !TERMINAL_RE.test(paragraph)) return;
    for (const [i, raw] of splitSentences(paragraph, language).entries()) {
      const sentence = i === 0 ? raw.replace(DATELINE_RE, '') : raw;
      if (isBoilerplate(sentence)) continue;
      const words = contentWords(sentence);
      const stems = stemsOf(words);
      allStems.push(stems);
      if (sentence.split(' ').length < MIN_SENTENCE_WORDS || sentence.length < MIN_SENTENCE_CHARS) continue;
      // The headline is shown next to the summary: repeating it says nothing new.
      if (titleStems.size > 0 && stems.size > 0 && shareIn(stems, titleStems) >= 0.8) continue;
      if (sentence.length > maxChars) {
        longOnes.push(sentence);
        continue;
      }
      const first = normalizeText(sentence.replace(QUOTE_OPEN_RE, '')).split(/[^\p{L}]+/u, 1)[0] ?? '';
      candidates.push({
        text: sentence,
        order: candidates.length,
        paragraph: p,
        stems,
        words: new Set(words),
        score: 0,
        leansBack: LEANS_BACK.has(first),
      });
    }
  });
  return { candidates, longOnes, allStems };
}

/**
 * Scores each candidate: position (news puts the essentials first), centrality (stems that recur
 * across the story or appear in the headline), the subscription's matched terms, and small
 * penalties for questions and sentences that open with a quotation.
 */
function score(candidates: Candidate[], allStems: ReadonlyArray<Set<string>>, titleStems: ReadonlySet<string>, probes: readonly TermProbe[]): void {
  const sentenceFrequency = new Map<string, number>();
  for (const stems of allStems) for (const s of stems) sentenceFrequency.set(s, (sentenceFrequency.get(s) ?? 0) + 1);
  const weight = (s: string): number => {
    const recurring = Math.max(0, (sentenceFrequency.get(s) ?? 0) - 1);
    return Math.log1p(recurring) + (titleStems.has(s) ? TITLE_WEIGHT : 0);
  };
  const centrality = candidates.map((c) => {
    let sum = 0;
    for (const s of c.stems) sum += weight(s);
    return sum / (Math.sqrt(c.stems.size) + 1);
  });
  const top = Math.max(...centrality, 1e-9);
  for (const [i, c] of candidates.entries()) {
    const position = 1 / (1 + POSITION_DECAY * c.order);
    const terms = probes.length > 0 && carriesTerm(c.words, probes) ? 0.35 : 0;
    const question = c.text.endsWith('?') ? 0.3 : 0;
    const quoted = QUOTE_OPEN_RE.test(c.text) ? 0.15 : 0;
    c.score = 0.55 * position + 0.45 * (centrality[i]! / top) + terms - question - quoted;
  }
}

/** The best set of 2-3 (else 1) shortlisted sentences that fits in `maxChars`, in document order. */
function choose(candidates: readonly Candidate[], maxChars: number, maxSentences: number): Candidate[] {
  const shortlist = [...candidates].sort((a, b) => b.score - a.score).slice(0, SHORTLIST).sort((a, b) => a.order - b.order);
  let best: { set: Candidate[]; value: number } | undefined;
  const consider = (set: Candidate[]): void => {
    const length = set.reduce((n, c) => n + c.text.length, set.length - 1);
    if (length > maxChars) return;
    let value = 0;
    for (const [i, c] of set.entries()) {
      value += c.score - SENTENCE_COST;
      // A sentence that points back reads wrongly without the one before it.
      if (c.leansBack && !(i > 0 && set[i - 1]!.order === c.order - 1 && set[i - 1]!.paragraph === c.paragraph)) value -= 0.25;
      for (const prior of set.slice(0, i)) if (overlap(prior.stems, c.stems) > 0.6) value -= 1;
    }
    // Two sentences or more whenever they fit: an alert needs more than a headline's worth.
    if (set.length >= 2) value += 10;
    if (best === undefined || value > best.value) best = { set, value };
  };
  const n = shortlist.length;
  for (let a = 0; a < n; a++) {
    consider([shortlist[a]!]);
    for (let b = a + 1; b < n; b++) {
      consider([shortlist[a]!, shortlist[b]!]);
      if (maxSentences < 3) continue;
      for (let c = b + 1; c < n; c++) consider([shortlist[a]!, shortlist[b]!, shortlist[c]!]);
    }
  }
  return best?.set ?? [];
}

/**
 * Summarizes a news text extractively: the 2-3 sentences (within 400 characters, in their
 * original order, never cut) that best carry the story, chosen by position, central words and the
 * subscription's matched terms; boilerplate is never chosen. When no sentence fits, the first
 * usable sentence is cut at a word boundary. Returns `undefined` when the text has nothing usable,
 * so the caller can fall back to other text. Pure and synchronous; never adds a word.
 */
export function summarize(input: SummaryInput): Summary | undefined {
  const maxChars = input.maxChars ?? SUMMARY_MAX_CHARS;
  const maxSentences = Math.max(1, Math.min(input.maxSentences ?? SUMMARY_MAX_SENTENCES, SUMMARY_MAX_SENTENCES));
  const text = input.text.trim();
  if (text === '') return undefined;
  const language = primaryLanguage(input.language) ?? detectLanguage(`${input.title ?? ''}\n${text}`, input.languageHint).language;
  const titleStems = stemsOf(contentWords(input.title ?? ''));
  const { candidates, longOnes, allStems } = candidatesOf(text, language ?? 'und', titleStems, maxChars);
  if (candidates.length === 0) {
    const first = longOnes[0];
    return first === undefined ? undefined : { text: clipAtWord(first, maxChars), language, method: 'clipped', sentences: 1 };
  }
  score(candidates, allStems, titleStems, termProbes(input.terms ?? []));
  const chosen = choose(candidates, maxChars, maxSentences);
  return { text: chosen.map((c) => c.text).join(' '), language, method: 'extractive', sentences: chosen.length };
}
