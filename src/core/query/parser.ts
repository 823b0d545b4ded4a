import type { ParsedQuery, QueryNode } from './ast.js';
import { canonicalize, positiveTerms, renderQuery } from './canonical.js';
import { QueryError } from './errors.js';
import { lex, type Token } from './lexer.js';

/** Longest accepted query, in characters (code points). */
export const QUERY_MAX_LENGTH = 256;
/** Most terms (words, phrases, prefixes; negated ones included) in one query. */
export const QUERY_MAX_TERMS = 32;

/** Options of {@link parseQuery}. */
export interface ParseQueryOptions {
  /**
   * Length limit in characters; default {@link QUERY_MAX_LENGTH}. Raise it only to re-parse a
   * stored `canonical` form, which normalization can make longer than what the user typed.
   */
  maxLength?: number;
}

type Span = readonly [start: number, end: number];

class Parser {
  private pos = 0;
  private terms = 0;
  /** Where each node of the raw tree was written, for error messages. */
  readonly spans = new WeakMap<QueryNode, Span>();

  constructor(
    private readonly input: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private fail(code: ConstructorParameters<typeof QueryError>[0], reason: string, at: number): never {
    throw new QueryError(code, reason, this.input, at);
  }

  private spanned(node: QueryNode, start: number, end: number): QueryNode {
    this.spans.set(node, [start, end]);
    return node;
  }

  private startsOperand(token: Token | undefined): boolean {
    return token !== undefined && (token.kind === 'term' || token.kind === 'lparen' || token.kind === 'minus' || token.kind === 'not');
  }

  private requireOperandAfter(op: Token): void {
    if (this.startsOperand(this.peek())) return;
    const name = op.kind === 'or' ? (this.input.slice(op.start, op.end) === 'OR' ? 'OR' : '|') : 'AND';
    this.fail('dangling-operator', `${name} needs a term on both sides, as in "tiktok ${name} bytedance".`, op.start);
  }

  parseQuery(): QueryNode {
    const node = this.parseOr();
    const extra = this.peek();
    if (extra !== undefined) this.fail('unmatched-parenthesis', 'this ")" has no matching "(".', extra.start);
    return node;
  }

  private parseOr(): QueryNode {
    const first = this.parseAnd();
    const children = [first];
    for (let token = this.peek(); token?.kind === 'or'; token = this.peek()) {
      this.pos++;
      this.requireOperandAfter(token);
      children.push(this.parseAnd());
    }
    return children.length === 1 ? first : this.spanned({ type: 'or', children }, this.spanOf(first)[0], this.spanOf(children.at(-1))[1]);
  }

  private parseAnd(): QueryNode {
    const first = this.parseUnary();
    const children = [first];
    for (let token = this.peek(); token !== undefined && token.kind !== 'or' && token.kind !== 'rparen'; token = this.peek()) {
      if (token.kind === 'and') {
        this.pos++;
        this.requireOperandAfter(token);
      }
      children.push(this.parseUnary());
    }
    return children.length === 1 ? first : this.spanned({ type: 'and', children }, this.spanOf(first)[0], this.spanOf(children.at(-1))[1]);
  }

  private parseUnary(): QueryNode {
    const token = this.peek();
    if (token === undefined) this.fail('empty', 'the query has no words to look for.', this.input.length);
    switch (token.kind) {
      case 'term':
        this.pos++;
        this.terms++;
        if (this.terms > QUERY_MAX_TERMS) {
          this.fail('too-many-terms', `a query may have at most ${QUERY_MAX_TERMS} terms; split it into several topics.`, token.start);
        }
        return this.spanned(token.term, token.start, token.end);
      case 'not':
      case 'minus': {
        this.pos++;
        const next = this.peek();
        if (!this.startsOperand(next)) {
          this.fail('dangling-not', 'NOT must be followed by what to exclude, as in "music NOT dance".', token.start);
        }
        if (next?.kind === 'not' || next?.kind === 'minus') {
          // "--dance" is almost always a typo for "-dance"; a double negation would silently invert it.
          this.fail('double-negation', 'two negations in a row cancel out; use one "-" (or NOT) to exclude a word.', next.start);
        }
        const child = this.parseUnary();
        return this.spanned({ type: 'not', child }, token.start, this.spanOf(child)[1]);
      }
      case 'lparen': {
        this.pos++;
        if (this.peek()?.kind === 'rparen') this.fail('empty-group', 'these parentheses contain no terms.', token.start);
        const inner = this.parseOr();
        const close = this.peek();
        if (close?.kind !== 'rparen') this.fail('unclosed-parenthesis', 'this "(" is never closed; add ")" after the group.', token.start);
        this.pos++;
        return this.spanned(inner, token.start, close.end);
      }
      case 'rparen':
        return this.fail('unmatched-parenthesis', 'this ")" has no matching "(".', token.start);
      case 'or':
      case 'and':
        return this.requireOperandAfterLeft(token);
    }
  }

  private requireOperandAfterLeft(op: Token): never {
    const name = op.kind === 'or' ? (this.input.slice(op.start, op.end) === 'OR' ? 'OR' : '|') : 'AND';
    return this.fail('dangling-operator', `${name} needs a term on both sides, as in "tiktok ${name} bytedance".`, op.start);
  }

  spanOf(node: QueryNode | undefined): Span {
    return (node && this.spans.get(node)) ?? [0, this.input.length];
  }
}

/** True when the node matches a story without any words: it only excludes. */
function matchesNothingRequired(node: QueryNode): boolean {
  switch (node.type) {
    case 'term':
      return false;
    case 'not':
      return !matchesNothingRequired(node.child);
    case 'and':
      return node.children.every(matchesNothingRequired);
    case 'or':
      return node.children.some(matchesNothingRequired);
  }
}

/** The exclusion that makes a node match stories without any required word. */
function culprit(node: QueryNode): QueryNode {
  if (node.type === 'or') return culprit(node.children.find(matchesNothingRequired) ?? node);
  if (node.type === 'and') return culprit(node.children[0] ?? node);
  return node;
}

/**
 * Parses and validates a topic query (DESIGN.md, "Topic query language").
 *
 * Syntax, loosest binding first:
 * - `a OR b`, `a | b`: either (OR binds loosest: `a b OR c` is `(a AND b) OR c`).
 * - `a b`, `a AND b`: both (binds tighter than OR: `a OR b c` is `a OR (b AND c)`).
 * - `-a`, `NOT a`: must not contain (binds tightest: `NOT a b` is `(NOT a) AND b`);
 *   applies to a term, a phrase or a group: `-"a b"`, `-(a OR b)`.
 * - `(...)` groups; `"..."` an exact phrase (consecutive words, no plural allowance);
 *   `tik*` any word starting with `tik`.
 * - A plain word also matches itself + `s` or + `es`; a word that normalizes into several
 *   (`at&t`, `TikTok-Verbot`) is a phrase of those words. Operators are only the upper-case
 *   `AND`/`OR`/`NOT`; `or` is a word. Other punctuation separates words (`(a+)+$` is `a`).
 *
 * The canonical form normalizes text (case, diacritics, `ß`), whitespace and operator spelling
 * (`|` → `OR`, `AND` → space, `NOT x` → `-x`), drops redundant parentheses and double
 * negations, and sorts and deduplicates the operands of AND and OR, so `b a` and `a AND b`
 * are the same topic.
 *
 * @throws QueryError for an empty query, a query over {@link QUERY_MAX_LENGTH} characters or
 *   {@link QUERY_MAX_TERMS} terms, unbalanced parentheses or quotes, an operator without an
 *   operand, two negations in a row (`--dance`, a typo that would invert the meaning), a
 *   misplaced `*`, or a query that only excludes (it would match almost everything).
 */
export function parseQuery(input: string, options: ParseQueryOptions = {}): ParsedQuery {
  const maxLength = options.maxLength ?? QUERY_MAX_LENGTH;
  if (input.length > maxLength) {
    const chars = [...input];
    if (chars.length > maxLength) {
      const at = chars.slice(0, maxLength).join('').length;
      throw new QueryError('too-long', `a query may be at most ${maxLength} characters long (this one has ${chars.length}).`, input, at);
    }
  }
  const tokens = lex(input);
  if (tokens.length === 0) {
    throw new QueryError('empty', 'the query has no words to look for.', input, Math.max(0, input.search(/\S/u)));
  }
  const parser = new Parser(input, tokens);
  const raw = parser.parseQuery();
  if (matchesNothingRequired(raw)) {
    const [start, end] = parser.spanOf(culprit(raw));
    const excluded = input.slice(start, end);
    throw new QueryError(
      'only-negative',
      `"${excluded}" only says what a story must not contain, so it would match almost every story; add a word the story must contain, as in "music ${excluded}".`,
      input,
      start,
    );
  }
  const ast = canonicalize(raw);
  return { input, canonical: renderQuery(ast), ast, terms: positiveTerms(ast) };
}
