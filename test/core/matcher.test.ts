import { describe, expect, it } from 'vitest';
import { createTopicIndex, evaluate } from '../../src/core/matcher.js';
import { makeTerm, type ParsedQuery } from '../../src/core/query/ast.js';
import { parseQuery } from '../../src/core/query/parser.js';
import { prepareDocument } from '../../src/core/text/normalize.js';

function matches(query: string, title: string, html?: string): boolean {
  return evaluate(parseQuery(query), prepareDocument({ title, html })).match;
}

type Lang = 'en' | 'de' | 'zh' | 'ja' | 'th';

/**
 * [rule, language, query, story title, expected]: every rule of the query language, each with
 * English and German examples (space-less scripts with their own).
 */
const RULES: ReadonlyArray<readonly [string, Lang, string, string, boolean]> = [
  ['words match in any case', 'en', 'TikTok', 'TIKTOK faces a ban in Montana', true],
  ['words match in any case', 'de', 'tiktok', 'Microsoft bestätigt Interesse an Tiktok', true],
  ['words split at punctuation', 'en', 'tiktok', 'TikTok’s owner ByteDance cuts jobs', true],
  ['words split at punctuation', 'de', 'verbot', 'Bundestag debattiert TikTok-Verbot', true],
  ['words split at emoji', 'en', 'tiktok', '🔥TikTok🔥 trend of the week', true],
  ['words split at emoji', 'de', 'tiktok', 'Neuer Trend auf 🔥Tiktok🔥', true],
  ['diacritics are ignored', 'en', 'cafe', 'Café culture in Paris', true],
  ['diacritics are ignored', 'de', 'munchen', 'Großbrand in München', true],
  ['diacritics are ignored in the query', 'en', 'café', 'Cafe prices rise', true],
  ['diacritics are ignored in the query', 'de', 'münchen', 'Grossbrand in Munchen', true],
  ['ß equals ss', 'en', 'strasse', 'Tourists love the Straße des 17. Juni', true],
  ['ß equals ss', 'de', 'Straße', 'Strasse gesperrt', true],
  ['ß equals ss', 'de', 'strasse', 'SPERRUNG DER STRAẞE', true],
  ['a word never matches inside a longer word', 'en', 'ban', 'Bank of England raises rates', false],
  ['a word never matches inside a longer word', 'en', 'ai', 'Lufthansa and United Airlines expand codeshare', false],
  ['a word never matches inside a longer word', 'en', 'tik', 'TikTok launches a shop', false],
  ['a word never matches inside a longer word', 'de', 'bahn', 'Autobahn gesperrt', false],
  ['a word never matches inside a longer word', 'de', 'wandel', 'Klimawandel bedroht Alpen', false],
  ['a word matches its plural or genitive with s', 'en', 'ban', 'Montana bans TikTok', true],
  ['a word matches its plural or genitive with s', 'en', 'tiktok', 'TikToks rivals grow', true],
  ['a word matches its plural or genitive with s', 'de', 'verbot', 'Die Folgen des Verbots sind unklar', true],
  ['a word matches its plural or genitive with s', 'de', 'tiktok', 'Die Zukunft des Tiktoks ist offen', true],
  ['a word matches its plural with es', 'en', 'match', 'Champions League matches tonight', true],
  ['a word matches its plural with es', 'de', 'bus', 'Neue Buses für Berlin', true],
  ['other endings do not match', 'en', 'ban', 'Banned books week', false],
  ['other endings do not match', 'de', 'verbot', 'Verbote in Bayern', false],
  ['the plural rule only adds', 'en', 'bans', 'Montana wants a ban', false],
  ['the plural rule only adds', 'de', 'verbots', 'Ein Verbot kommt', false],
  ['words separated by spaces must all match', 'en', 'tiktok microsoft', 'Microsoft in talks over TikTok', true],
  ['words separated by spaces must all match', 'en', 'tiktok apple', 'Microsoft in talks over TikTok', false],
  ['words separated by spaces must all match', 'de', 'tiktok microsoft', 'Microsoft bestätigt Interesse an Tiktok', true],
  ['words separated by spaces must all match', 'de', 'tiktok apple', 'Microsoft bestätigt Interesse an Tiktok', false],
  ['AND is the same as a space', 'en', 'tiktok AND microsoft', 'Microsoft in talks over TikTok', true],
  ['AND is the same as a space', 'de', 'tiktok AND apple', 'Microsoft bestätigt Interesse an Tiktok', false],
  ['OR matches either side', 'en', 'bytedance OR tiktok', 'Microsoft in talks over TikTok', true],
  ['OR matches either side', 'en', 'bytedance OR douyin', 'Microsoft in talks over TikTok', false],
  ['OR matches either side', 'de', 'bytedance OR tiktok', 'Microsoft bestätigt Interesse an Tiktok', true],
  ['| is OR', 'en', 'bytedance | tiktok', 'Microsoft in talks over TikTok', true],
  ['| is OR', 'de', 'bytedance|douyin', 'Microsoft bestätigt Interesse an Tiktok', false],
  ['lower-case or is a word', 'en', 'trump or biden', 'Trump rallies in Ohio', false],
  ['lower-case or is a word', 'en', 'trump or biden', 'Trump or Biden: the choice', true],
  ['lower-case or is a word', 'de', 'merz or scholz', 'Merz gegen Scholz', false],
  ['- excludes a word', 'en', 'tiktok -dance', 'TikTok dance challenge goes viral', false],
  ['- excludes a word', 'en', 'tiktok -dance', 'TikTok faces a ban', true],
  ['- excludes a word', 'de', 'tiktok -tanz', 'Tiktok-Tanz geht viral', false],
  ['- excludes a word', 'de', 'tiktok -tanz', 'Tiktok wächst weiter', true],
  ['NOT excludes a word', 'en', 'tiktok NOT dance', 'TikTok dance challenge goes viral', false],
  ['NOT excludes a word', 'de', 'tiktok NOT tanz', 'Tiktok wächst weiter', true],
  ['- excludes a phrase', 'en', 'tiktok -"dance challenge"', 'TikTok dance challenge goes viral', false],
  ['- excludes a phrase', 'en', 'tiktok -"dance challenge"', 'TikTok challenge: no dance', true],
  ['- excludes a phrase', 'de', 'tiktok -"neuer tanz"', 'Tiktok: ein neuer Tanz', false],
  ['- excludes a phrase', 'de', 'tiktok -"neuer tanz"', 'Tiktok: Tanz, aber kein neuer', true],
  ['- excludes a group', 'en', 'tiktok -(dance OR song)', 'TikTok song of the summer', false],
  ['- excludes a group', 'de', 'tiktok -(dance OR tanz)', 'Tiktok wächst weiter', true],
  ['a phrase matches consecutive words', 'en', '"climate change"', 'Climate change hits Alpine glaciers', true],
  ['a phrase matches consecutive words', 'en', '"climate change"', 'Change in climate policy', false],
  ['a phrase matches consecutive words', 'de', '"deutsche bahn"', 'Streik bei der Deutschen Bahn', false],
  ['a phrase matches consecutive words', 'de', '"deutsche bahn"', 'Deutsche Bahn erhöht Preise', true],
  ['a phrase matches across punctuation', 'en', '"covid vaccine"', 'COVID-vaccine rollout', true],
  ['a phrase matches across punctuation', 'de', '"tiktok verbot"', 'Das Tiktok-Verbot kommt', true],
  ['a quoted word is exact: no plural', 'en', '"ban"', 'Montana bans TikTok', false],
  ['a quoted word is exact: no plural', 'en', '"ban"', 'Montana passes a ban', true],
  ['a quoted word is exact: no plural', 'de', '"verbot"', 'Folgen des Verbots', false],
  ['a query word that splits is a phrase', 'en', 'at&t', 'AT&T raises prices', true],
  ['a query word that splits is a phrase', 'en', 'at&t', 'Deals at the T-Mobile store', false],
  ['a query word that splits is a phrase', 'de', 'TikTok-Verbot', 'Bundestag debattiert Tiktok Verbot', true],
  ['a query word that splits is a phrase', 'de', 'TikTok-Verbot', 'Verbot von Tiktok geplant', false],
  ['a query word that splits is a phrase', 'de', 'TikTok-Verbot', 'Die Folgen des TikTok-Verbots', true],
  ['groups bind as written', 'en', '(tiktok OR bytedance) ban', 'ByteDance faces a ban', true],
  ['groups bind as written', 'en', '(tiktok OR bytedance) ban', 'ByteDance grows', false],
  ['groups bind as written', 'de', '(tiktok OR bytedance) verbot', 'Bytedance droht Verbot', true],
  ['AND binds tighter than OR', 'en', 'apple music OR tiktok', 'TikTok grows', true],
  ['AND binds tighter than OR', 'de', 'apple music OR tiktok', 'Apple stellt aus', false],
  ['a prefix matches words starting with it', 'en', 'climat*', 'Climatologists warn', true],
  ['a prefix matches words starting with it', 'de', 'klima*', 'Klimawandel bedroht Alpen', true],
  ['a prefix matches the word itself', 'en', 'climat*', 'Climat summit in Paris', true],
  ['a prefix matches the word itself', 'de', 'klima*', 'Klima im Wandel', true],
  ['a prefix does not match inside words', 'en', 'change*', 'Exchange rates fall', false],
  ['a prefix does not match inside words', 'de', 'wandel*', 'Klimawandel bedroht Alpen', false],
  ['a prefix can end a phrase', 'en', '"climate chang*"', 'Climate changes everything', true],
  ['a prefix can end a phrase', 'de', '"deutsche bahn*"', 'Deutsche Bahnstrecke gesperrt', true],
  ['regex metacharacters are literal', 'en', 'c++', 'Why C is still popular', true],
  ['regex metacharacters are literal', 'en', 'a.b', 'axb corp', false],
  ['regex metacharacters are literal', 'de', '(a+)+$', 'Bahn baut aus', false],
  ['space-less scripts match as substrings', 'zh', '字节跳动', '美国政府要求字节跳动出售TikTok', true],
  ['space-less scripts match as substrings', 'zh', '腾讯', '美国政府要求字节跳动出售TikTok', false],
  ['space-less scripts match as substrings', 'zh', 'tiktok', '美国政府要求字节跳动出售TikTok', true],
  ['space-less scripts match as substrings', 'ja', 'ティックトック', '米国でティックトック禁止法が成立', true],
  ['space-less scripts match as substrings', 'ja', 'がく', '米国でかく禁止', false],
  ['space-less scripts match as substrings', 'th', 'ติ๊กต๊อก', 'รัฐบาลสั่งแบนติ๊กต๊อกในสหรัฐ', true],
];

describe('the topic query language', () => {
  it.each(RULES)('%s (%s): %s on "%s" → %s', (_rule, _lang, query, title, expected) => {
    expect(matches(query, title)).toBe(expected);
  });

  it('has English and German examples for every rule not specific to a script', () => {
    const languages = new Map<string, Set<Lang>>();
    for (const [rule, lang] of RULES) languages.set(rule, (languages.get(rule) ?? new Set()).add(lang));
    for (const [rule, langs] of languages) {
      if (rule.includes('space-less')) continue;
      expect({ rule, en: langs.has('en'), de: langs.has('de') }).toEqual({ rule, en: true, de: true });
    }
  });

  it('searches categories', () => {
    const doc = prepareDocument({ title: 'Bundestag debattiert', categories: ['Politik', 'Inland'] });
    expect(evaluate(parseQuery('politik'), doc).match).toBe(true);
  });

  it('searches the HTML body as text: tags are not words and inline tags do not split words', () => {
    expect(matches('tiktok', 'Neue Regeln', '<p>Das <b>Tik</b>Tok-Verbot</p>')).toBe(true);
    expect(matches('span', 'Neue Regeln', '<span class="x">Text</span>')).toBe(false);
    expect(matches('münchen', 'Neue Regeln', '<p>M&uuml;nchen &amp; Berlin</p>')).toBe(true);
  });

  it('does not treat URLs as text', () => {
    expect(matches('tiktok', 'Neue Regeln', '<p>Mehr unter https://www.tiktok.com/@news</p>')).toBe(false);
    expect(matches('tiktok', 'Mehr unter https://tiktok.com/x')).toBe(false);
  });

  it('does not let a phrase span the title and the body, or two paragraphs', () => {
    expect(matches('"berlin apple"', 'News from Berlin', '<p>Apple opens a store</p>')).toBe(false);
    expect(matches('"berlin apple"', 'x', '<p>in Berlin</p><p>Apple opens</p>')).toBe(false);
    expect(matches('"berlin apple"', 'x', '<p>in Berlin Apple opens</p>')).toBe(true);
  });

  it('reports the required terms that made a story match', () => {
    const doc = prepareDocument({ title: 'Microsoft bestätigt Interesse an Tiktok' });
    expect(evaluate(parseQuery('tiktok OR bytedance'), doc)).toEqual({ match: true, terms: ['tiktok'] });
    expect(evaluate(parseQuery('(microsoft tiktok) OR (apple tiktok)'), doc).terms.sort()).toEqual(['microsoft', 'tiktok']);
    expect(evaluate(parseQuery('tiktok -dance'), doc)).toEqual({ match: true, terms: ['tiktok'] });
    expect(evaluate(parseQuery('apple'), doc)).toEqual({ match: false, terms: [] });
  });
});

describe('matching safety', () => {
  it('matches a query made of regex syntax against a 50 kB title in under 10 ms', () => {
    const query = parseQuery('(a+)+$');
    const doc = prepareDocument({ title: `${'a'.repeat(50_000)}!` });
    const start = performance.now();
    const result = evaluate(query, doc);
    const index = createTopicIndex();
    index.add('t', query);
    index.match(doc);
    expect(performance.now() - start).toBeLessThan(10);
    expect(result.match).toBe(false);
  });

  it('searches a phrase with thousands of near-misses in a 50 kB title quickly', () => {
    const doc = prepareDocument({ title: 'aaaaa aaaa '.repeat(5_000) });
    const query = parseQuery('"aaaa aaaa"');
    const start = performance.now();
    expect(evaluate(query, doc).match).toBe(false);
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('createTopicIndex', () => {
  const doc = prepareDocument({ title: 'Microsoft bestätigt Interesse an Tiktok', html: '<p>Das Tiktok-Verbot in München</p>' });

  it('returns every matching topic with its terms', () => {
    const index = createTopicIndex();
    index.add('a', parseQuery('tiktok'));
    index.add('b', parseQuery('bytedance OR microsoft'));
    index.add('c', parseQuery('apple'));
    index.add('d', parseQuery('"tiktok verbot" münchen'));
    index.add('e', parseQuery('tiktok -microsoft'));
    const result = index.match(doc).sort((x, y) => x.topicId.localeCompare(y.topicId));
    expect(result).toEqual([
      { topicId: 'a', terms: ['tiktok'] },
      { topicId: 'b', terms: ['microsoft'] },
      { topicId: 'd', terms: ['"tiktok verbot"', 'munchen'] },
    ]);
  });

  it('tracks size, has, replace and remove', () => {
    const index = createTopicIndex();
    index.add('a', parseQuery('tiktok'));
    index.add('b', parseQuery('apple'));
    expect(index.size).toBe(2);
    expect(index.has('a')).toBe(true);
    index.add('a', parseQuery('apple'));
    expect(index.size).toBe(2);
    expect(index.match(doc)).toEqual([]);
    expect(index.remove('a')).toBe(true);
    expect(index.remove('a')).toBe(false);
    expect(index.has('a')).toBe(false);
    expect(index.size).toBe(1);
    index.add('c', parseQuery('tik*'));
    expect(index.match(doc)).toEqual([{ topicId: 'c', terms: ['tik*'] }]);
  });

  it('finds space-less script terms inside longer runs', () => {
    const index = createTopicIndex();
    index.add('zh', parseQuery('字节跳动'));
    index.add('ja', parseQuery('ティックトック 禁止'));
    const zh = prepareDocument({ title: '美国政府要求字节跳动出售TikTok' });
    const ja = prepareDocument({ title: '米国でティックトック禁止法が成立' });
    expect(index.match(zh)).toEqual([{ topicId: 'zh', terms: ['字节跳动'] }]);
    expect(index.match(ja)).toEqual([{ topicId: 'ja', terms: ['ティックトック', '禁止'] }]);
  });

  it('still matches a topic it cannot anchor (a query parseQuery would refuse)', () => {
    const excludeOnly: ParsedQuery = { input: '-apple', canonical: '-apple', ast: { type: 'not', child: makeTerm(['apple'], false, false) }, terms: [] };
    const index = createTopicIndex();
    index.add('x', excludeOnly);
    index.add('y', parseQuery('tiktok'));
    expect(index.match(doc).map((m) => m.topicId).sort()).toEqual(['x', 'y']);
    expect(index.match(prepareDocument({ title: 'Apple' }))).toEqual([]);
    index.remove('x');
    expect(index.match(doc)).toEqual([{ topicId: 'y', terms: ['tiktok'] }]);
  });

  it('adds and removes 2,000 topics without leaking matches', () => {
    const index = createTopicIndex();
    for (let i = 0; i < 2_000; i++) index.add(`t${i}`, parseQuery(i % 2 === 0 ? `tiktok w${i}` : `w${i} OR tiktok`));
    for (let i = 0; i < 2_000; i += 2) index.remove(`t${i}`);
    const ids = index.match(doc).map((m) => m.topicId);
    expect(ids).toHaveLength(1_000);
    expect(ids.every((id) => Number(id.slice(1)) % 2 === 1)).toBe(true);
  });
});
