import { normalizeText, splitWords } from '../text/normalize.js';
import { makeTerm, type QueryTerm } from './ast.js';
import { QueryError } from './errors.js';

/** A lexical token of a topic query; offsets are UTF-16 positions in the input. */
export type Token =
  | { readonly kind: 'term'; readonly start: number; readonly end: number; readonly term: QueryTerm }
  | { readonly kind: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'minus'; readonly start: number; readonly end: number };

const WHITESPACE_RE = /\s/u;
/** Straight, typographic and full-width quotes all open and close phrases. */
const QUOTES = new Set(['"', '“', '”', '„', '‟', '＂', '«', '»']);
const LPARENS = new Set(['(', '（']);
const RPARENS = new Set([')', '）']);
const BARS = new Set(['|', '｜']);
const MINUSES = new Set(['-', '－', '−']);
const STARS = new Set(['*', '＊']);
const WORD_END_RE = /[\p{L}\p{N}\p{M}]$/u;
const KEYWORDS: Readonly<Record<string, 'and' | 'or' | 'not'>> = { AND: 'and', OR: 'or', NOT: 'not' };

function endsBareToken(ch: string): boolean {
  return WHITESPACE_RE.test(ch) || QUOTES.has(ch) || LPARENS.has(ch) || RPARENS.has(ch) || BARS.has(ch);
}

/**
 * Validates the `*` of a term whose raw text starts at `offset`: at most one, last, right after
 * a letter or digit. Returns whether the term is a prefix.
 */
function checkWildcard(input: string, raw: string, offset: number): boolean {
  let star = -1;
  for (let i = 0; i < raw.length; i++) {
    if (!STARS.has(raw[i] ?? '')) continue;
    if (!WORD_END_RE.test(raw.slice(0, i))) {
      throw new QueryError('misplaced-wildcard', '"*" must come right after the start of a word, as in "tik*"; a lone or leading "*" is not allowed.', input, offset + i);
    }
    if (star !== -1 || i !== raw.length - 1) {
      throw new QueryError('misplaced-wildcard', '"*" can only end a word, as in "tik*"; it cannot stand inside a word or repeat.', input, offset + i);
    }
    star = i;
  }
  return star !== -1;
}

/** Normalizes a bare or quoted term; undefined when it contains no letters or digits. */
function buildTerm(input: string, raw: string, offset: number, quoted: boolean): QueryTerm | undefined {
  const prefix = checkWildcard(input, raw, offset);
  const words = splitWords(normalizeText(prefix ? raw.slice(0, -1) : raw));
  if (words.length === 0) {
    if (prefix) throw new QueryError('misplaced-wildcard', '"*" must follow the start of a word, as in "tik*".', input, offset + raw.length - 1);
    return undefined;
  }
  return makeTerm(words, prefix, quoted);
}

/**
 * Splits a query into tokens. Bare words are terms unless they are exactly `AND`, `OR` or `NOT`;
 * runs of `|` are one OR; `-` directly before a term, phrase or group negates it. A bare token
 * without letters or digits (`&`, `+$`) separates like whitespace, as punctuation does in
 * story text.
 */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let minusAt = -1;
  const push = (token: Token): void => {
    tokens.push(token);
    minusAt = token.kind === 'minus' ? token.start : -1;
  };
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (WHITESPACE_RE.test(ch)) {
      i++;
    } else if (LPARENS.has(ch)) {
      push({ kind: 'lparen', start: i, end: i + 1 });
      i++;
    } else if (RPARENS.has(ch)) {
      push({ kind: 'rparen', start: i, end: i + 1 });
      i++;
    } else if (BARS.has(ch)) {
      let end = i + 1;
      while (BARS.has(input[end] ?? '')) end++;
      push({ kind: 'or', start: i, end });
      i = end;
    } else if (MINUSES.has(ch)) {
      const next = input[i + 1];
      if (next === undefined || WHITESPACE_RE.test(next) || RPARENS.has(next) || BARS.has(next)) {
        throw new QueryError('dangling-not', '"-" must be directly followed by what to exclude, as in "-dance".', input, i);
      }
      push({ kind: 'minus', start: i, end: i + 1 });
      i++;
    } else if (QUOTES.has(ch)) {
      let close = i + 1;
      while (close < input.length && !QUOTES.has(input[close] ?? '')) close++;
      if (close >= input.length) {
        throw new QueryError('unclosed-quote', 'this quote is never closed; end the phrase with another ".', input, i);
      }
      const term = buildTerm(input, input.slice(i + 1, close), i + 1, true);
      if (term === undefined) {
        throw new QueryError('empty-phrase', 'the quotes contain no letters or digits to look for.', input, i);
      }
      push({ kind: 'term', start: i, end: close + 1, term });
      i = close + 1;
    } else {
      let end = i + 1;
      while (end < input.length && !endsBareToken(input[end] ?? '')) end++;
      const raw = input.slice(i, end);
      const keyword = minusAt === -1 ? KEYWORDS[raw] : undefined;
      if (keyword !== undefined) {
        push({ kind: keyword, start: i, end });
      } else {
        const term = buildTerm(input, raw, i, false);
        if (term !== undefined) push({ kind: 'term', start: i, end, term });
        else if (minusAt !== -1) {
          throw new QueryError('dangling-not', '"-" must be directly followed by a word to exclude, as in "-dance".', input, minusAt);
        }
      }
      i = end;
    }
  }
  return tokens;
}
