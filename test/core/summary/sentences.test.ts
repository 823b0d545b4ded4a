import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitParagraphs, splitSentences } from '../../../src/core/summary/sentences.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/summaries/${name}`, import.meta.url), 'utf8'));
const table = fixture('sentences.json') as { de: string[][]; en: string[][] };
const heldOut = fixture('sentences-heldout.json') as { de: string[]; en: string[] };

describe('sentence splitting', () => {
  for (const language of ['de', 'en'] as const) {
    it.each(table[language].map((sentences) => [sentences[0]!.slice(0, 60), sentences] as const))(
      `${language}: %s`,
      (_name, sentences) => {
        expect(splitSentences(sentences.join(' '), language)).toEqual(sentences);
      },
    );

    it(`${language}: splits a held-out running news text of ${heldOut[language].length} sentences exactly`, () => {
      expect(splitSentences(heldOut[language].join(' '), language)).toEqual(heldOut[language]);
    });
  }

  it('keeps the same German rules when the language is unknown, except ordinals (language-specific)', () => {
    expect(splitSentences('Dr. Weber kam z. B. mit der Bahn. Das war neu.', 'und')).toEqual(['Dr. Weber kam z. B. mit der Bahn.', 'Das war neu.']);
    expect(splitSentences('The meeting ended at 10. Then everyone left.', 'en')).toEqual(['The meeting ended at 10.', 'Then everyone left.']);
  });

  it('collapses whitespace and returns nothing for blank text', () => {
    expect(splitSentences('  One  sentence\there.   Two\u00a0here.  ', 'en')).toEqual(['One sentence here.', 'Two here.']);
    expect(splitSentences(' \n ', 'en')).toEqual([]);
  });

  it('splits paragraphs at line breaks and drops blank lines', () => {
    expect(splitParagraphs('First line.\r\n\n  Second   line.\rThird.\u2029')).toEqual(['First line.', 'Second line.', 'Third.']);
  });
});
