import { makeTerm, type QueryTerm } from '../query/ast.js';
import { isSpaceless } from '../text/normalize.js';
import { addTerm, releaseIfEmpty, removeTerm, type Dictionary, type Entry, type EntryKind } from './dictionary.js';

function grown<T extends Int32Array | Uint8Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed < array.length) return array;
  const next = make(Math.max(needed + 1, array.length * 2));
  next.set(array);
  return next;
}

/** The dictionary kind of a one-word term, or undefined for a phrase (checked on demand). */
export function singleWordKind(term: QueryTerm): EntryKind | undefined {
  if (term.words.length !== 1) return undefined;
  if (isSpaceless(term.pattern)) return 'spaceless';
  if (term.prefix) return 'prefix';
  return term.inflects ? 'inflected' : 'word';
}

/** One-word terms that every story containing the phrase contains. */
function phraseGuards(term: QueryTerm): QueryTerm[] {
  const last = term.words.length - 1;
  return term.words.map((word, i) => {
    if (isSpaceless(word)) return makeTerm([word], false, false);
    if (i < last) return makeTerm([word], false, true);
    return makeTerm([word], term.prefix, !term.inflects);
  });
}

/**
 * Terms of all indexed topics, interned by key and reference-counted. A one-word term is
 * listed in the dictionary entries that make it true, so scanning a story marks it; a phrase
 * is checked on demand. Truth per story is memoized in typed arrays stamped with the match
 * generation.
 */
export class TermTable {
  private readonly numbers = new Map<string, number>();
  private readonly free: number[] = [];
  readonly terms: (QueryTerm | undefined)[] = [];
  /** `terms[n].key`, kept apart so reporting matched terms does not touch the term objects. */
  readonly keys: string[] = [];
  private readonly refs: number[] = [];
  private readonly entriesOf: Entry[][] = [];
  /**
   * For a phrase, its words as one-word terms, all true whenever the phrase is: checking these
   * marks rejects almost every phrase without touching the story text.
   */
  readonly guards: (Int32Array | undefined)[] = [];
  /** 1 for phrases (evaluated on demand), 0 for terms the scan marks. */
  lazy = new Uint8Array(64);
  /** Generation in which `value` was set. */
  seen = new Int32Array(64);
  value = new Uint8Array(64);

  constructor(private readonly dictionary: Dictionary) {}

  /** Number of an interned term, by key. */
  numberOf(key: string): number | undefined {
    return this.numbers.get(key);
  }

  acquire(term: QueryTerm): number {
    const known = this.numbers.get(term.key);
    if (known !== undefined) {
      this.refs[known] = (this.refs[known] ?? 0) + 1;
      return known;
    }
    const n = this.free.pop() ?? this.terms.length;
    this.numbers.set(term.key, n);
    this.terms[n] = term;
    this.keys[n] = term.key;
    this.refs[n] = 1;
    this.lazy = grown(this.lazy, n, (size) => new Uint8Array(size));
    this.seen = grown(this.seen, n, (size) => new Int32Array(size));
    this.value = grown(this.value, n, (size) => new Uint8Array(size));
    this.seen[n] = 0;
    const kind = singleWordKind(term);
    this.lazy[n] = kind === undefined ? 1 : 0;
    const entries = kind === undefined ? [] : this.dictionary.entries(kind, term.pattern);
    for (const entry of entries) addTerm(entry, n);
    this.entriesOf[n] = entries;
    this.guards[n] = kind === undefined ? Int32Array.from(phraseGuards(term), (t) => this.acquire(t)) : undefined;
    return n;
  }

  release(n: number): void {
    const refs = (this.refs[n] ?? 1) - 1;
    this.refs[n] = refs;
    if (refs > 0) return;
    const term = this.terms[n];
    if (term !== undefined) this.numbers.delete(term.key);
    for (const entry of this.entriesOf[n] ?? []) {
      removeTerm(entry, n);
      releaseIfEmpty(entry);
    }
    for (const guard of this.guards[n] ?? []) this.release(guard);
    this.guards[n] = undefined;
    this.terms[n] = undefined;
    this.keys[n] = '';
    this.entriesOf[n] = [];
    this.free.push(n);
  }
}
