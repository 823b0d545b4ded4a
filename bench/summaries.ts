import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { detectLanguage } from '../src/core/summary/language.js';
import { splitParagraphs, splitSentences } from '../src/core/summary/sentences.js';
import { summarize } from '../src/core/summary/summarize.js';
import { normalizeText, splitWords } from '../src/core/text/normalize.js';

/**
 * Summary quality: Newshound's extractive summaries against lead-3 (the first three sentences,
 * the classic news baseline), scored with ROUGE-1 and ROUGE-2 F1 against reference summaries
 * written for this corpus (bench/summaries/*.txt: invented articles with page boilerplate mixed
 * in, as article extraction leaves it). Two baselines: lead-3 of the text as it comes, and
 * lead-3 of the lines that end like sentences (bylines, captions and link lines removed), which
 * is the stronger one. Also checks that no summary comes out in another language.
 */

/** One corpus article: `key: value` header lines, a `---` line, then the article text. */
export interface CorpusArticle {
  name: string;
  title: string;
  language: string;
  reference: string;
  text: string;
}

/** Parses one corpus file (format above). */
export function parseArticle(name: string, content: string): CorpusArticle {
  const [head = '', ...body] = content.split(/^---$/m);
  const fields = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const get = (key: string): string => {
    const value = fields.get(key);
    if (value === undefined || value === '') throw new Error(`${name}: missing "${key}"`);
    return value;
  };
  return { name, title: get('title'), language: get('language'), reference: get('reference'), text: body.join('---').trim() };
}

/** Every article in a directory of corpus files, by file name. */
export function loadCorpus(dir: URL): CorpusArticle[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => parseArticle(f, readFileSync(new URL(f, dir), 'utf8')));
}

function tokens(text: string): string[] {
  return splitWords(normalizeText(text));
}

function ngrams(words: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N F1 (clipped n-gram overlap; no stemming, no stop-word removal). */
export function rougeF1(candidate: string, reference: string, n: number): number {
  const c = ngrams(tokens(candidate), n);
  const r = ngrams(tokens(reference), n);
  let overlap = 0;
  for (const [gram, count] of c) overlap += Math.min(count, r.get(gram) ?? 0);
  const cTotal = [...c.values()].reduce((a, b) => a + b, 0);
  const rTotal = [...r.values()].reduce((a, b) => a + b, 0);
  if (overlap === 0 || cTotal === 0 || rTotal === 0) return 0;
  const precision = overlap / cTotal;
  const recall = overlap / rTotal;
  return (2 * precision * recall) / (precision + recall);
}

/** The first three sentences of the text; with `clean`, of its lines that end like sentences. */
export function lead3(article: CorpusArticle, clean: boolean): string {
  const lines = splitParagraphs(article.text).filter((l) => !clean || /[.!?…]["'“”„»«’)]*$/u.test(l));
  return lines.flatMap((l) => splitSentences(l, article.language)).slice(0, 3).join(' ');
}

/** Newshound's summary of a corpus article (language detected, no matched terms). */
export function newshoundSummary(article: CorpusArticle): string {
  return summarize({ text: article.text, title: article.title })?.text ?? '';
}

interface Scores {
  rouge1: number;
  rouge2: number;
  chars: number;
}

const SYSTEMS: Readonly<Record<string, (a: CorpusArticle) => string>> = {
  newshound: newshoundSummary,
  'lead-3': (a) => lead3(a, false),
  'lead-3 clean': (a) => lead3(a, true),
};

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Runs the evaluation; prints a table and returns the figures for bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
  const corpus = loadCorpus(new URL('./summaries/', import.meta.url));
  const languages = [...new Set(corpus.map((a) => a.language))].sort();
  const table: Record<string, Record<string, Scores>> = {};
  const perArticle: Array<Record<string, unknown>> = [];
  const wrongLanguage: string[] = [];
  const over400: string[] = [];
  const scores = new Map<string, Array<{ language: string } & Scores>>();
  const started = performance.now();
  for (const article of corpus) {
    const row: Record<string, unknown> = { article: article.name };
    for (const [system, make] of Object.entries(SYSTEMS)) {
      const summary = make(article);
      const s = { language: article.language, rouge1: rougeF1(summary, article.reference, 1), rouge2: rougeF1(summary, article.reference, 2), chars: summary.length };
      scores.set(system, [...(scores.get(system) ?? []), s]);
      row[system] = { rouge1: round3(s.rouge1), rouge2: round3(s.rouge2) };
      if (system === 'newshound') {
        if (detectLanguage(summary).language !== article.language) wrongLanguage.push(article.name);
        if (summary.length > 400) over400.push(article.name);
      }
    }
    perArticle.push(row);
  }
  const summarizeMs = (performance.now() - started) / corpus.length;
  for (const [system, list] of scores) {
    table[system] = {};
    for (const group of [...languages, 'all']) {
      const subset = list.filter((s) => group === 'all' || s.language === group);
      table[system][group] = {
        rouge1: round3(mean(subset.map((s) => s.rouge1))),
        rouge2: round3(mean(subset.map((s) => s.rouge2))),
        chars: Math.round(mean(subset.map((s) => s.chars))),
      };
    }
  }
  const counts = languages.map((l) => `${l} ${corpus.filter((a) => a.language === l).length}`).join(', ');
  console.log(`ROUGE F1 against hand-written references (${corpus.length} articles: ${counts})\n`);
  console.log(`${'system'.padEnd(14)}${'group'.padEnd(7)}${'ROUGE-1'.padStart(9)}${'ROUGE-2'.padStart(9)}${'chars'.padStart(7)}`);
  for (const [system, groups] of Object.entries(table)) {
    for (const [group, s] of Object.entries(groups)) {
      console.log(`${system.padEnd(14)}${group.padEnd(7)}${s.rouge1.toFixed(3).padStart(9)}${s.rouge2.toFixed(3).padStart(9)}${String(s.chars).padStart(7)}`);
    }
  }
  const ours = table.newshound?.all;
  const lead = table['lead-3']?.all;
  const beatsLead3 = ours !== undefined && lead !== undefined && ours.rouge1 > lead.rouge1 && ours.rouge2 > lead.rouge2;
  console.log(`\nbeats lead-3 on average: ${beatsLead3 ? 'yes' : 'NO'}; summaries in the wrong language: ${wrongLanguage.length}; over 400 chars: ${over400.length}; ${summarizeMs.toFixed(2)} ms per article (language detection included)`);
  return { articles: corpus.length, table, beatsLead3, wrongLanguage, over400, summarizeMsPerArticle: round3(summarizeMs), perArticle };
}
