import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipAtWord } from '../../../src/core/summary/clip.js';
import { detectLanguage } from '../../../src/core/summary/language.js';
import { splitParagraphs, splitSentences } from '../../../src/core/summary/sentences.js';
import { summarize, SUMMARY_MAX_CHARS } from '../../../src/core/summary/summarize.js';

const FIXTURES = new URL('../../fixtures/summaries/', import.meta.url);

/** Corpus files: `key: value` lines, `---`, then the article (same format as bench/summaries/). */
function loadArticle(file: string): { title: string; language: string; text: string } {
  const [head = '', body = ''] = readFileSync(new URL(file, FIXTURES), 'utf8').split(/^---$/m);
  const field = (key: string): string => new RegExp(`^${key}: (.*)$`, 'm').exec(head)?.[1] ?? '';
  return { title: field('title'), language: field('language'), text: body.trim() };
}

const articles = readdirSync(FIXTURES).filter((f) => /^(de|en)-.*\.txt$/.test(f));

/** Every sentence of the summary, verbatim, is a sentence of the input. */
function sentencesOf(text: string, language: string): string[] {
  return splitParagraphs(text).flatMap((p) => splitSentences(p, language));
}

describe('extractive summaries of news articles', () => {
  it.each(articles)('%s: 2-3 whole sentences of the article, in order, in its language, within 400 characters', (file) => {
    const article = loadArticle(file);
    const summary = summarize({ text: article.text, title: article.title });
    expect(summary).toBeDefined();
    expect(summary!.language).toBe(article.language);
    expect(detectLanguage(summary!.text).language).toBe(article.language);
    expect(summary!.text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(summary!.sentences).toBeGreaterThanOrEqual(2);
    const source = sentencesOf(article.text, article.language);
    const chosen = splitSentences(summary!.text, article.language);
    const positions = chosen.map((s) => source.findIndex((x) => x.endsWith(s)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('keeps who, what and when of the lead', () => {
    const de = summarize({ ...loadArticle('de-07-trainer.txt') })!.text;
    expect(de).toMatch(/FC Hellbach 04/);
    expect(de).toMatch(/Kowalski/);
    expect(de).toMatch(/Sonntag/);
    const en = summarize({ ...loadArticle('en-05-fraud-trial.txt') })!.text;
    expect(en).toMatch(/Derek Lange/);
    expect(en).toMatch(/guilty/);
    expect(en).toMatch(/Friday/);
  });

  it('never chooses boilerplate, even when it repeats the story’s central words', () => {
    const text = [
      'Foto: Tiktok-Zentrale in Los Angeles, picture alliance/dpa',
      'Anzeige',
      'Die Video-App Tiktok muss in den USA bis Januar verkauft werden, hat das Oberste Gericht am Freitag entschieden.',
      'Lesen Sie auch: Tiktok-Verbot – was Nutzer jetzt wissen müssen.',
      'Die Richter wiesen damit eine Klage des Tiktok-Mutterkonzerns Bytedance ab.',
      'Mehr zum Thema: Tiktok, Bytedance und das Verbot.',
      'Bytedance hatte argumentiert, das Gesetz verletze die Meinungsfreiheit von 170 Millionen Nutzern.',
      'Newsletter abonnieren: Alles zu Tiktok jeden Morgen kostenlos in Ihr Postfach.',
      '© Tiktok-Nachrichten 2025. Alle Rechte vorbehalten.',
    ].join('\n');
    const summary = summarize({ text, title: 'Tiktok-Verbot bestätigt', terms: ['tiktok'] })!;
    expect(summary.text).not.toMatch(/Foto|Anzeige|Lesen Sie|Mehr zum Thema|Newsletter|©/);
    expect(summary.text).toContain('Oberste Gericht');
  });

  it('prefers sentences with the subscription’s matched terms', () => {
    const text = [
      'The city council approved next year’s budget on Tuesday after a long debate.',
      'Spending on roads will rise by 4 percent, while parks get a small cut.',
      'Libraries will open on Sundays again from March, the council said.',
      'The budget also funds 20 new police officers and a youth center.',
      'A separate vote on a new stadium was postponed until the summer.',
    ].join(' ');
    const plain = summarize({ text, maxSentences: 2 })!.text;
    const stadium = summarize({ text, terms: ['stadium'], maxSentences: 2 })!.text;
    expect(plain).not.toContain('stadium');
    expect(stadium).toContain('A separate vote on a new stadium was postponed until the summer.');
    expect(summarize({ text, terms: ['librar*'], maxSentences: 2 })!.text).toContain('Libraries will open on Sundays');
  });

  it('skips a dateline and a sentence repeating the headline', () => {
    const text = 'BERLIN (dpa) - Die Regierung hat am Mittwoch den Haushalt für 2026 beschlossen.\nHaushalt 2026 beschlossen.\nDer Etat sieht Ausgaben von 480 Milliarden Euro vor, etwas weniger als im Vorjahr.';
    const summary = summarize({ text, title: 'Haushalt 2026 beschlossen' })!;
    expect(summary.text).toBe('Die Regierung hat am Mittwoch den Haushalt für 2026 beschlossen. Der Etat sieht Ausgaben von 480 Milliarden Euro vor, etwas weniger als im Vorjahr.');
  });

  it('cuts a single over-long sentence at a word boundary, and gives up on text with nothing usable', () => {
    const long = `${'Der Ausschuss hat nach langer Debatte beschlossen, '.repeat(12)}dass alles bleibt.`;
    const summary = summarize({ text: long, language: 'de' })!;
    expect(summary.method).toBe('clipped');
    expect(summary.text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(summary.text.endsWith('…')).toBe(true);
    expect(long.startsWith(summary.text.slice(0, -1))).toBe(true);
    expect(long.charAt(summary.text.length - 1)).toMatch(/[\s,]/);
    expect(summarize({ text: '' })).toBeUndefined();
    expect(summarize({ text: 'Read more\nFoto: dpa\nShare on Facebook' })).toBeUndefined();
  });

  it('property: never longer than the limit, never a partial word, only text from the input', () => {
    const word = fc.stringMatching(/^[A-Za-zÄÖÜäöüß]{1,12}$/);
    const sentence = fc.array(word, { minLength: 1, maxLength: 30 }).map((ws) => `${ws.join(' ')}.`);
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 12 }), fc.integer({ min: 40, max: 400 }), (sentences, maxChars) => {
        const text = sentences.join(' ');
        const summary = summarize({ text, maxChars, language: 'en' });
        if (summary === undefined) return;
        expect(summary.text.length).toBeLessThanOrEqual(maxChars);
        const inputWords = new Set(text.split(/[\s.]+/));
        for (const w of summary.text.replace(/…$/, '').split(/[\s.]+/).filter(Boolean)) expect(inputWords.has(w)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('clipAtWord', () => {
  it('cuts at the last space that fits, with an ellipsis within the limit', () => {
    expect(clipAtWord('alpha beta gamma delta', 14)).toBe('alpha beta…');
    expect(clipAtWord('alpha beta, gamma', 13)).toBe('alpha beta…');
    expect(clipAtWord('short', 10)).toBe('short');
    expect(clipAtWord('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(clipAtWord(`${'a'.repeat(8)}😀b`, 10).length).toBeLessThanOrEqual(10);
  });
});
