import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText, prepareDocument, splitWords } from '../../../src/core/text/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['TikTok', 'tiktok'],
    ['München', 'munchen'],
    ['Straße', 'strasse'],
    ['STRAẞE', 'strasse'],
    ['Café', 'cafe'],
    ['Ærø Œuvre', 'ærø œuvre'],
    ['İstanbul', 'istanbul'],
    ['ΟΔΥΣΣΕΥΣ', 'οδυσσευσ'],
    ['ﬁnance', 'finance'],
    ['ＴｉｋＴｏｋ', 'tiktok'],
    ['x²', 'x2'],
    ['e\u0301', 'e'],
    ['が', 'が'],
    ['한국어', '한국어'],
    ['TikTok’s', 'tiktok’s'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
      }),
      { numRuns: 3_000 },
    );
  });

  it('is idempotent on text of letters with combining marks', () => {
    const letter = fc.constantFrom('a', 'e', 'o', 'u', 'ß', 'ẞ', 'İ', 'ς', 'Σ', 'か', 'ㄱ', 'ᄀ', 'ᅡ', '字', 'ก');
    const mark = fc.constantFrom('\u0301', '\u0308', '\u0327', '\u3099', '\u309a', '\u0e34', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(letter, mark)), (parts) => {
        const once = normalizeText(parts.map(([l, m]) => l + m).join(''));
        expect(normalizeText(once)).toBe(once);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('splitWords', () => {
  it.each([
    ['tiktok-verbot', ['tiktok', 'verbot']],
    ['tiktok’s', ['tiktok', 's']],
    ['🔥tiktok🔥', ['tiktok']],
    ['at&t', ['at', 't']],
    ['c++ (a+)+$', ['c', 'a']],
    ['iphone15 2024', ['iphone15', '2024']],
    ['美国政府要求字节跳动出售tiktok', ['美国政府要求字节跳动出售', 'tiktok']],
    ['2024年の選挙', ['2024', '年の選挙']],
    ['データ', ['データ']],
    ['привет мир', ['привет', 'мир']],
    ['', []],
  ])('splits %s into %j', (input, expected) => {
    expect(splitWords(input)).toEqual(expected);
  });
});

describe('prepareDocument', () => {
  it('collects words, stems, space-less runs and a token sequence per line and field', () => {
    const doc = prepareDocument({
      title: 'Microsoft bestätigt Interesse',
      html: '<p>Das <b>Tik</b>Tok-Verbot</p><p>字节跳动 bans</p>',
      categories: ['Tech'],
    });
    expect([...doc.words].sort()).toEqual(['bans', 'bestatigt', 'das', 'interesse', 'microsoft', 'tech', 'tiktok', 'verbot']);
    expect(doc.stems.has('ban')).toBe(true);
    expect(doc.spaceless).toEqual(['字节跳动']);
    expect(doc.sequence).toBe('\nmicrosoft bestatigt interesse\ndas tiktok verbot\n字节跳动 bans\ntech\n');
  });

  it('removes URLs but keeps the words around them', () => {
    const doc = prepareDocument({ title: 'x', text: 'Mehr (https://www.tiktok.com/@news?x=1) bei http://t.co/abc heute' });
    expect([...doc.words].sort()).toEqual(['bei', 'heute', 'mehr', 'x']);
  });

  it('handles an empty story', () => {
    const doc = prepareDocument({ title: '' });
    expect(doc.words.size).toBe(0);
    expect(doc.sequence).toBe('\n');
  });
});
