import { describe, expect, it } from 'vitest';
import { QueryError, type QueryErrorCode } from '../../../src/core/query/errors.js';
import { parseQuery, QUERY_MAX_LENGTH, QUERY_MAX_TERMS } from '../../../src/core/query/parser.js';

function errorOf(input: string): QueryError {
  try {
    parseQuery(input);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error(`"${input}" parsed`);
}

describe('parseQuery: canonical form', () => {
  it.each([
    ['TikTok', 'tiktok'],
    ['  tiktok  ', 'tiktok'],
    ['a b', 'a b'],
    ['b a', 'a b'],
    ['a AND b', 'a b'],
    ['a | b', 'a OR b'],
    ['b OR a', 'a OR b'],
    ['a||b', 'a OR b'],
    ['a a', 'a'],
    ['(a)', 'a'],
    ['((a b))', 'a b'],
    ['a (b c)', 'a b c'],
    ['a OR (b OR c)', 'a OR b OR c'],
    ['NOT dance music', 'music -dance'],
    ['music NOT dance', 'music -dance'],
    ['x -(-a)', 'a x'],
    ['München', 'munchen'],
    ['Straße', 'strasse'],
    ['TikTok-Verbot', 'tiktok-verbot'],
    ['at&t', 'at-t'],
    ['"Climate  Change"', '"climate change"'],
    ['“climate change”', '"climate change"'],
    ['"ban"', '"ban"'],
    ['"字节"', '字节'],
    ['"climate chang*"', 'climate-chang*'],
    ['Tik*', 'tik*'],
    ['字节跳动*', '字节跳动'],
    ['(a+)+$', 'a'],
    ['c++ OR c#', 'c'],
    ['trump or biden', 'biden or trump'],
    ['a b OR c', '(a b) OR c'],
    ['a OR b c', 'a OR (b c)'],
    ['(a OR b) c', '(a OR b) c'],
    ['NOT a b', 'b -a'],
    ['-(a OR b) c', 'c -(a OR b)'],
    ['（tiktok ｜ bytedance）', 'bytedance OR tiktok'],
  ])('%s → %s', (input, canonical) => {
    if (canonical === null) expect(() => parseQuery(input)).toThrow(QueryError);
    else expect(parseQuery(input).canonical).toBe(canonical);
  });

  it('gives the same topic for spellings that differ only in case, spacing and operators', () => {
    const forms = ['TikTok OR ByteDance', ' bytedance | tiktok ', '(tiktok) OR (BYTEDANCE)'];
    expect(new Set(forms.map((f) => parseQuery(f).canonical)).size).toBe(1);
  });

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(parseQuery('a b OR c').ast).toMatchObject({ type: 'or', children: [{ type: 'and' }, { type: 'term', key: 'c' }] });
    expect(parseQuery('NOT a b').ast).toMatchObject({ type: 'and', children: [{ key: 'b' }, { type: 'not', child: { key: 'a' } }] });
    expect(parseQuery('a OR NOT b c').canonical).toBe('a OR (c -b)');
    expect(parseQuery('x OR y NOT z OR w').canonical).toBe('w OR x OR (y -z)');
  });

  it('lists the required terms, not the excluded ones', () => {
    expect(parseQuery('(tiktok OR bytedance) verbot -dance').terms).toEqual(['bytedance', 'tiktok', 'verbot']);
    expect(parseQuery('x -(a OR -b)').terms).toEqual(['x', 'b']);
  });

  it('keeps the input as typed', () => {
    expect(parseQuery(' TikTok ').input).toBe(' TikTok ');
  });
});

/** [query, code, 1-based character the error points at]. */
const BAD_QUERIES: ReadonlyArray<readonly [string, QueryErrorCode, number]> = [
  ['', 'empty', 1],
  ['   ', 'empty', 1],
  ['&& !!', 'empty', 1],
  ['-dance', 'only-negative', 1],
  ['NOT dance', 'only-negative', 1],
  ['-dance -tanz', 'only-negative', 1],
  ['tiktok OR -dance', 'only-negative', 11],
  ['-(tiktok bytedance)', 'only-negative', 1],
  ['tiktok OR (bytedance', 'unclosed-parenthesis', 11],
  ['(tiktok', 'unclosed-parenthesis', 1],
  ['tiktok)', 'unmatched-parenthesis', 7],
  [') tiktok', 'unmatched-parenthesis', 1],
  ['tiktok ()', 'empty-group', 8],
  ['tiktok "ban', 'unclosed-quote', 8],
  ['tiktok ""', 'empty-phrase', 8],
  ['tiktok " - "', 'empty-phrase', 8],
  ['OR tiktok', 'dangling-operator', 1],
  ['tiktok OR', 'dangling-operator', 8],
  ['tiktok OR OR bytedance', 'dangling-operator', 8],
  ['tiktok | | bytedance', 'dangling-operator', 8],
  ['AND tiktok', 'dangling-operator', 1],
  ['tiktok AND', 'dangling-operator', 8],
  ['tiktok AND OR bytedance', 'dangling-operator', 8],
  ['(OR tiktok)', 'dangling-operator', 2],
  ['(tiktok OR) bytedance', 'dangling-operator', 9],
  ['tiktok NOT', 'dangling-not', 8],
  ['tiktok NOT OR x', 'dangling-not', 8],
  ['tiktok -', 'dangling-not', 8],
  ['tiktok - dance', 'dangling-not', 8],
  ['tiktok -&', 'dangling-not', 8],
  ['tiktok --dance', 'double-negation', 9],
  ['tiktok NOT -dance', 'double-negation', 12],
  ['tiktok NOT NOT dance', 'double-negation', 12],
  ['*', 'misplaced-wildcard', 1],
  ['tiktok *', 'misplaced-wildcard', 8],
  ['*tok', 'misplaced-wildcard', 1],
  ['tik*tok', 'misplaced-wildcard', 4],
  ['tik**', 'misplaced-wildcard', 4],
  ['tik-*', 'misplaced-wildcard', 5],
  ['"tik* tok"', 'misplaced-wildcard', 5],
  ['"tiktok *"', 'misplaced-wildcard', 9],
];

describe('parseQuery: refused queries', () => {
  it.each(BAD_QUERIES)('refuses %j with %s at character %i', (input, code, character) => {
    const err = errorOf(input);
    expect(err.code).toBe(code);
    expect(err.character).toBe(character);
    expect(err.message).toContain(`At character ${character}: `);
  });

  it('shows the query with a caret under the problem', () => {
    expect(errorOf('tiktok OR (bytedance').message).toBe(
      'At character 11: this "(" is never closed; add ")" after the group.\ntiktok OR (bytedance\n          ^',
    );
  });

  it('explains why an exclusion-only query is refused and how to fix it', () => {
    const err = errorOf('-dance');
    expect(err.reason).toContain('only says what a story must not contain');
    expect(err.reason).toContain('music -dance');
  });

  it('counts characters, not UTF-16 units, and puts the caret under wide characters correctly', () => {
    const err = errorOf('字节跳动 OR (tiktok');
    expect(err.character).toBe(9);
    expect(err.message.split('\n')[2]).toBe(`${' '.repeat(12)}^`);
    expect(errorOf('🔥 )').character).toBe(3);
  });

  it('accepts a query of the maximum length and refuses one character more', () => {
    const word = 'a'.repeat(QUERY_MAX_LENGTH);
    expect(parseQuery(word).canonical).toBe(word);
    const err = errorOf(`${word}b`);
    expect(err.code).toBe('too-long');
    expect(err.character).toBe(QUERY_MAX_LENGTH + 1);
  });

  it('refuses a 10,000-character keyword without echoing all of it', () => {
    const err = errorOf('x'.repeat(10_000));
    expect(err.code).toBe('too-long');
    expect(err.message.length).toBeLessThan(300);
  });

  it('counts length in characters, so 256 emoji-free CJK characters are accepted', () => {
    expect(() => parseQuery('字'.repeat(QUERY_MAX_LENGTH))).not.toThrow();
  });

  it('accepts the maximum number of terms and refuses one more, pointing at it', () => {
    const terms = Array.from({ length: QUERY_MAX_TERMS + 1 }, (_, i) => `w${i}`);
    expect(parseQuery(terms.slice(0, QUERY_MAX_TERMS).join(' ')).terms).toHaveLength(QUERY_MAX_TERMS);
    const err = errorOf(terms.join(' '));
    expect(err.code).toBe('too-many-terms');
    expect(err.position).toBe(terms.slice(0, QUERY_MAX_TERMS).join(' ').length + 1);
  });

  it('treats regular-expression syntax as ordinary punctuation', () => {
    expect(parseQuery('[a-z]+ (x|y){2,}').canonical).toBe('2 a-z (x OR y)');
    expect(parseQuery('^tiktok$').canonical).toBe('tiktok');
    expect(errorOf('.*').code).toBe('misplaced-wildcard');
  });
});
