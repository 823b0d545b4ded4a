/** Stable codes of {@link QueryError}, for replies and tests. */
export type QueryErrorCode =
  | 'empty'
  | 'too-long'
  | 'too-many-terms'
  | 'unclosed-parenthesis'
  | 'unmatched-parenthesis'
  | 'empty-group'
  | 'unclosed-quote'
  | 'empty-phrase'
  | 'dangling-operator'
  | 'dangling-not'
  | 'double-negation'
  | 'misplaced-wildcard'
  | 'only-negative';

const WINDOW_COLUMNS = 60;
const WIDE_RE = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\u3000\uff01-\uff60\u{1f300}-\u{1faff}]/u;
const ZERO_WIDTH_RE = /^[\p{M}\p{Cf}]$/u;

function displayWidth(ch: string): number {
  if (ZERO_WIDTH_RE.test(ch)) return 0;
  return WIDE_RE.test(ch) ? 2 : 1;
}

/**
 * The input on one line and a caret under `position`. Long inputs are cut to a window around
 * the position, marked with `…`.
 */
function caretLines(input: string, position: number): string {
  const chars = [...input.replace(/[\t\n\r\v\f]/g, ' ')];
  // Index of the code point that contains UTF-16 offset `position`.
  let at = 0;
  for (let offset = 0; at < chars.length && offset + (chars[at]?.length ?? 1) <= position; at++) {
    offset += chars[at]?.length ?? 1;
  }
  let from = 0;
  let to = chars.length;
  if (chars.length > WINDOW_COLUMNS) {
    from = Math.max(0, at - WINDOW_COLUMNS / 2);
    to = Math.min(chars.length, from + WINDOW_COLUMNS);
  }
  const prefix = from > 0 ? '…' : '';
  const line = prefix + chars.slice(from, to).join('') + (to < chars.length ? '…' : '');
  let column = prefix.length;
  for (let i = from; i < at; i++) column += displayWidth(chars[i] ?? ' ');
  return `${line}\n${' '.repeat(column)}^`;
}

/** 1-based character (code point) number of a UTF-16 offset. */
function characterNumber(input: string, position: number): number {
  return [...input.slice(0, position)].length + 1;
}

/**
 * A topic query that cannot be used. `message` says why and where, with the query and a caret
 * under the problem:
 * ```
 * At character 11: this "(" is never closed; add ")" after the group.
 * tiktok OR (bytedance
 *           ^
 * ```
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  /** Stable machine-readable reason. */
  readonly code: QueryErrorCode;
  /** Why, in one sentence, without the position (for replies that render position themselves). */
  readonly reason: string;
  /** UTF-16 offset in the input where the problem is. */
  readonly position: number;
  /** 1-based character (code point) number of `position`, as quoted in the message. */
  readonly character: number;

  constructor(code: QueryErrorCode, reason: string, input: string, position: number) {
    const character = characterNumber(input, position);
    super(`At character ${character}: ${reason}\n${caretLines(input, position)}`);
    this.code = code;
    this.reason = reason;
    this.position = position;
    this.character = character;
  }
}
