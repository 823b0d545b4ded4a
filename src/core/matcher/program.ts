import type { QueryNode, QueryTerm } from '../query/ast.js';

/**
 * A query compiled to a flat prefix-encoded program over term numbers, so that verifying a
 * candidate topic reads one small Int32Array and a few typed-array slots instead of walking
 * objects spread over the heap. Encoding: `t >= 0` a term; `NOT` followed by its operand;
 * `AND`/`OR` followed by the operand count, the length of the operands' encoding, then the
 * operands (the length lets evaluation skip the rest after short-circuiting); `GUARDED`
 * followed by a term, a count and that many guard terms: the term can only be true when all
 * its guards are (a phrase and its words), and the guards sit in the same cache line.
 */
const NOT = -1;
const AND = -2;
const OR = -3;
const GUARDED = -4;

/** A term as the program refers to it: its number and, for a phrase, its guard terms. */
export interface CompiledTerm {
  readonly number: number;
  readonly guards: ArrayLike<number> | undefined;
}

/** Compiles a query; `intern` numbers each term. */
export function compileProgram(node: QueryNode, intern: (term: QueryTerm) => CompiledTerm): number[] {
  const out: number[] = [];
  const emit = (n: QueryNode): void => {
    switch (n.type) {
      case 'term': {
        const { number, guards } = intern(n);
        if (guards === undefined || guards.length === 0) out.push(number);
        else out.push(GUARDED, number, guards.length, ...Array.from(guards));
        return;
      }
      case 'not':
        out.push(NOT);
        emit(n.child);
        return;
      case 'and':
      case 'or': {
        out.push(n.type === 'and' ? AND : OR, n.children.length, 0);
        const start = out.length;
        for (const child of n.children) emit(child);
        out[start - 1] = out.length - start;
        return;
      }
    }
  };
  emit(node);
  return out;
}

/** Runs programs stored at an offset of a code array, given the truth of each term. */
export interface ProgramRunner {
  /** Truth of the program at `start`. */
  matches(code: Int32Array, start: number): boolean;
  /** Keys of the terms that make the program true, as `collectTerms` does for the tree. */
  matchedTerms(code: Int32Array, start: number, keys: readonly string[], out: string[]): void;
}

/**
 * A runner over the truth of terms; `seen[t] === generation()` means term `t` was marked true
 * by the scan (the guards of a phrase are checked this way before `truth` is asked).
 */
export function createProgramRunner(truth: (term: number) => boolean, seen: () => Int32Array, generation: () => number): ProgramRunner {
  /** Position after the node evaluated last. */
  let cursor = 0;

  function run(p: Int32Array, pos: number): boolean {
    const op = p[pos] ?? 0;
    if (op >= 0) {
      cursor = pos + 1;
      return truth(op);
    }
    if (op === NOT) return !run(p, pos + 1);
    if (op === GUARDED) return runGuarded(p, pos);
    const count = p[pos + 1] ?? 0;
    const end = pos + 3 + (p[pos + 2] ?? 0);
    const wanted = op === OR;
    let at = pos + 3;
    for (let i = 0; i < count; i++) {
      if (run(p, at) === wanted) {
        cursor = end;
        return wanted;
      }
      at = cursor;
    }
    cursor = end;
    return !wanted;
  }

  function runGuarded(p: Int32Array, pos: number): boolean {
    const count = p[pos + 2] ?? 0;
    cursor = pos + 3 + count;
    const marks = seen();
    const now = generation();
    for (let i = pos + 3; i < pos + 3 + count; i++) {
      if (marks[p[i] ?? 0] !== now) return false;
    }
    return truth(p[pos + 1] ?? 0);
  }

  function collect(p: Int32Array, pos: number, value: boolean, keys: readonly string[], out: string[]): void {
    let op = p[pos] ?? 0;
    if (op >= 0 || op === GUARDED) {
      cursor = op === GUARDED ? pos + 3 + (p[pos + 2] ?? 0) : pos + 1;
      if (op === GUARDED) op = p[pos + 1] ?? 0;
      const key = keys[op] ?? '';
      if (value && !out.includes(key)) out.push(key);
      return;
    }
    if (op === NOT) {
      collect(p, pos + 1, !value, keys, out);
      return;
    }
    const count = p[pos + 1] ?? 0;
    const end = pos + 3 + (p[pos + 2] ?? 0);
    let at = pos + 3;
    for (let i = 0; i < count; i++) {
      const childValue = run(p, at);
      const next = cursor;
      if (childValue === value) collect(p, at, value, keys, out);
      at = next;
    }
    cursor = end;
  }

  return {
    matches: (code, start) => run(code, start),
    matchedTerms: (code, start, keys, out) => collect(code, start, true, keys, out),
  };
}
