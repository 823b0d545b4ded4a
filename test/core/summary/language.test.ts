import { describe, expect, it } from 'vitest';
import { detectLanguage, primaryLanguage } from '../../../src/core/summary/language.js';

describe('language detection', () => {
  it.each([
    ['de', 'Microsoft bestätigt Interesse an Tiktok'],
    ['de', 'Bahn streicht Verbindungen nach Sturm'],
    ['de', 'US-Präsident trifft Kanzler in Berlin'],
    ['de', 'Die Polizei sucht Zeugen.'],
    ['de', 'Der Bundestag hat am Donnerstag das Heizungsgesetz beschlossen, nach monatelangem Streit in der Koalition.'],
    ['en', 'TikTok ban upheld by Supreme Court'],
    ['en', 'Fed holds rates steady as inflation cools'],
    ['en', 'Police are looking for witnesses.'],
    ['en', 'The Senate passed the bill on Thursday after months of negotiations between both parties.'],
    ['fr', 'Le gouvernement annonce une réforme des retraites'],
    ['es', 'El Gobierno aprueba el presupuesto'],
    ['it', 'Il governo approva la manovra'],
    ['nl', 'Kabinet valt over asielbeleid'],
  ])('%s: %s', (language, text) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('tells German from English in whole articles with mixed-in English terms', () => {
    const de = 'Der Konzern will seine Cloud-Sparte verkaufen. Der CEO sprach von einem „Game Changer“ für das Geschäft mit Software as a Service.';
    expect(detectLanguage(de)).toEqual({ language: 'de', reliable: true });
  });

  it('uses the hint when the text is too short or ambiguous, and says it was not sure', () => {
    expect(detectLanguage('Read more', 'de-DE')).toEqual({ language: 'de', reliable: false });
    expect(detectLanguage('12:0', 'en')).toEqual({ language: 'en', reliable: false });
  });

  it('gives undefined, not a wrong guess, for text without letters and no hint', () => {
    expect(detectLanguage('2024 – 2025 · 12:30').language).toBeUndefined();
    expect(detectLanguage('').language).toBeUndefined();
  });

  it('reduces language tags to their primary subtag', () => {
    expect(primaryLanguage('de-DE')).toBe('de');
    expect(primaryLanguage('EN_us')).toBe('en');
    expect(primaryLanguage('  ')).toBeUndefined();
    expect(primaryLanguage('german')).toBeUndefined();
    expect(primaryLanguage(undefined)).toBeUndefined();
  });
});
