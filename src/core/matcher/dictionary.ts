/**
 * Where a story's words lead: each entry lists the one-word terms a hit makes true, and the
 * postings of the topics anchored there. Words are in a hash map; prefixes and runs of
 * space-less scripts in tries walked along the story's words and runs.
 */
export interface Entry {
  /**
   * Numbers of the terms that are true when a story hits this entry (-1: none). Most entries
   * have one or two, kept in fields: one cache line less per hit than an array.
   */
  term0: number;
  term1: number;
  /** Further terms, rare. */
  moreTerms: number[] | undefined;
  /**
   * Postings of the topics anchored here: `count` records of {@link POSTING_INTS} values, see
   * {@link POSTING_SLOT} and following. Verifying a topic reads its record, which the scan of
   * the entry reads in order, instead of a record elsewhere in memory: candidates are random
   * topics, and fetching their data from memory is what verification costs. Order is not
   * meaningful (removal moves the last record into the hole).
   */
  postings: Int32Array;
  count: number;
  /** Unlinks the entry from its map or trie once it is empty. */
  readonly release: () => void;
}

/** Values per posting record. */
export const POSTING_INTS = 12;
/** Record layout: the topic's slot. */
export const POSTING_SLOT = 0;
/** The term number of the posting's filter (see `Anchor.filter`), or -1. */
export const POSTING_FILTER = 1;
/**
 * How to verify the topic: {@link INLINE_PROGRAM} when its program follows in the record, an
 * offset in the program slab, or -1 - n when the topic is the one-word term n (a hit matches).
 */
export const POSTING_CODE = 2;
export const POSTING_PROGRAM = 3;
export const INLINE_PROGRAM = -0x7fffffff;
export const INLINE_PROGRAM_MAX = POSTING_INTS - POSTING_PROGRAM;

const NO_POSTINGS = new Int32Array(0);

/** Appends a copy of `record`; returns its index. */
export function appendPosting(entry: Entry, record: Int32Array): number {
  const at = entry.count * POSTING_INTS;
  if (at + POSTING_INTS > entry.postings.length) {
    const grown = new Int32Array(Math.max(POSTING_INTS, entry.postings.length * 2));
    grown.set(entry.postings);
    entry.postings = grown;
  }
  entry.postings.set(record, at);
  return entry.count++;
}

/**
 * Removes the posting at `index` by moving the last record into it, and releases the entry
 * when it is empty. Returns the slot of the moved posting (now at `index`), or -1.
 */
export function removePostingAt(entry: Entry, index: number): number {
  const last = entry.count - 1;
  let moved = -1;
  if (index !== last) {
    entry.postings.copyWithin(index * POSTING_INTS, last * POSTING_INTS, (last + 1) * POSTING_INTS);
    moved = entry.postings[index * POSTING_INTS + POSTING_SLOT] ?? -1;
  }
  entry.count = last;
  if (last === 0) entry.postings = NO_POSTINGS;
  else if (entry.postings.length >= 4 * last * POSTING_INTS) entry.postings = entry.postings.slice(0, 2 * last * POSTING_INTS);
  releaseIfEmpty(entry);
  return moved;
}

/** Releases the entry when it lists nothing any more. */
export function releaseIfEmpty(entry: Entry): void {
  if (entry.count === 0 && entry.term0 === -1) entry.release();
}

export function addTerm(entry: Entry, term: number): void {
  if (entry.term0 === -1) entry.term0 = term;
  else if (entry.term1 === -1) entry.term1 = term;
  else (entry.moreTerms ??= []).push(term);
}

/** Removes a term (keeping `term0`, `term1`, `moreTerms` filled in that order). */
export function removeTerm(entry: Entry, term: number): void {
  const more = entry.moreTerms;
  const last = more?.pop() ?? -1;
  if (more?.length === 0) entry.moreTerms = undefined;
  if (last === term) return;
  if (entry.term0 === term) {
    entry.term0 = last !== -1 ? last : entry.term1;
    if (last === -1) entry.term1 = -1;
  } else if (entry.term1 === term) {
    entry.term1 = last;
  } else if (more !== undefined && last !== -1) {
    const at = more.indexOf(term);
    if (at !== -1) more[at] = last;
  }
}

function emptyEntry(release: () => void): Entry {
  return { term0: -1, term1: -1, moreTerms: undefined, postings: NO_POSTINGS, count: 0, release };
}

/** Word → entry. */
export class EntryMap {
  readonly entries = new Map<string, Entry>();

  entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = emptyEntry(() => this.entries.delete(key));
      this.entries.set(key, entry);
    }
    return entry;
  }
}

/** Children of the root for ASCII characters, in an array: most walks start there. */
const ROOT_ARRAY_SIZE = 128;

interface TrieNode {
  children: Map<number, TrieNode> | undefined;
  entry: Entry | undefined;
  readonly parent: TrieNode | undefined;
  readonly code: number;
}

/**
 * A trie of keys over UTF-16 code units. {@link visit} reports the entry of every stored key
 * that `text` starts with at an offset, without allocating.
 */
export class EntryTrie {
  private readonly root: TrieNode = { children: undefined, entry: undefined, parent: undefined, code: -1 };
  private readonly rootArray: (TrieNode | undefined)[] = new Array<TrieNode | undefined>(ROOT_ARRAY_SIZE).fill(undefined);

  get isEmpty(): boolean {
    return this.root.children === undefined;
  }

  entry(key: string): Entry {
    let node = this.root;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      node.children ??= new Map();
      let child = node.children.get(code);
      if (child === undefined) {
        child = { children: undefined, entry: undefined, parent: node, code };
        node.children.set(code, child);
        if (node === this.root && code < ROOT_ARRAY_SIZE) this.rootArray[code] = child;
      }
      node = child;
    }
    const owner = node;
    owner.entry ??= emptyEntry(() => this.prune(owner));
    return owner.entry;
  }

  private prune(start: TrieNode): void {
    start.entry = undefined;
    for (let node = start; node.parent !== undefined && node.entry === undefined && node.children === undefined; node = node.parent) {
      const siblings = node.parent.children;
      siblings?.delete(node.code);
      if (node.parent === this.root && node.code < ROOT_ARRAY_SIZE) this.rootArray[node.code] = undefined;
      if (siblings?.size === 0) node.parent.children = undefined;
    }
  }

  /** Calls `onEntry` for each stored key that `text.slice(from)` starts with. */
  visit(text: string, from: number, onEntry: (entry: Entry) => void): void {
    if (from >= text.length) return;
    const first = text.charCodeAt(from);
    let node = first < ROOT_ARRAY_SIZE ? this.rootArray[first] : this.root.children?.get(first);
    if (node === undefined) return;
    if (node.entry !== undefined) onEntry(node.entry);
    for (let i = from + 1; i < text.length; i++) {
      node = node.children?.get(text.charCodeAt(i));
      if (node === undefined) return;
      if (node.entry !== undefined) onEntry(node.entry);
    }
  }
}

/** What a story must contain for an anchor or a single-word term; see `Anchor`. */
export type EntryKind = 'word' | 'inflected' | 'prefix' | 'spaceless';

/** The three lookup structures, addressed by kind. */
export class Dictionary {
  readonly words = new EntryMap();
  readonly prefixes = new EntryTrie();
  readonly spaceless = new EntryTrie();

  /** The entries a story hits when it meets the condition (an inflected word has three). */
  entries(kind: EntryKind, key: string): Entry[] {
    switch (kind) {
      case 'word':
        return [this.words.entry(key)];
      case 'inflected':
        return [this.words.entry(key), this.words.entry(`${key}s`), this.words.entry(`${key}es`)];
      case 'prefix':
        return [this.prefixes.entry(key)];
      case 'spaceless':
        return [this.spaceless.entry(key)];
    }
  }
}
