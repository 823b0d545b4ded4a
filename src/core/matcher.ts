import type { ParsedQuery } from './query/ast.js';
import type { PreparedDocument } from './text/normalize.js';
import { anchorsFor } from './matcher/anchors.js';
import {
  appendPosting,
  Dictionary,
  INLINE_PROGRAM,
  INLINE_PROGRAM_MAX,
  POSTING_CODE,
  POSTING_FILTER,
  POSTING_INTS,
  POSTING_PROGRAM,
  POSTING_SLOT,
  removePostingAt,
  type Entry,
} from './matcher/dictionary.js';
import { collectTerms, nodeMatches, termMatches } from './matcher/evaluate.js';
import { compileProgram, createProgramRunner } from './matcher/program.js';
import { Int32Slab } from './matcher/slab.js';
import { singleWordKind, TermTable } from './matcher/terms.js';

/** Outcome of matching one query against one story. */
export interface MatchResult {
  match: boolean;
  /** Keys of the required terms that made the story match (empty when it does not). */
  terms: string[];
}

/** Whether a story matches a query, and by which terms (for "why it matched"). */
export function evaluate(query: ParsedQuery, doc: PreparedDocument): MatchResult {
  if (!nodeMatches(query.ast, doc)) return { match: false, terms: [] };
  const terms: string[] = [];
  collectTerms(query.ast, doc, true, terms);
  return { match: true, terms };
}

/** One topic that matched a story. */
export interface TopicMatch {
  topicId: string;
  terms: string[];
}

/**
 * All active topics compiled into one structure; see {@link createTopicIndex}. Synchronous and
 * not re-entrant (it keeps per-story scratch state).
 */
export interface TopicIndex {
  /**
   * Adds a topic, or replaces the query of an existing id. O(size of the query), amortized
   * (arrays grow by doubling); never rebuilds the index.
   */
  add(topicId: string, query: ParsedQuery): void;
  /** Removes a topic; false when it was not there. O(size of the query). */
  remove(topicId: string): boolean;
  has(topicId: string): boolean;
  readonly size: number;
  /** Every topic the story matches, in no particular order; exactly what `evaluate` says. */
  match(doc: PreparedDocument): TopicMatch[];
}

interface Topic {
  readonly id: string;
  readonly slot: number;
  /** Term numbers acquired from the term table, released on removal. */
  readonly termNumbers: number[];
  /** Offset and length of the compiled program in the slab, or -1 when it is inline or a single term. */
  readonly programOffset: number;
  readonly programLength: number;
  /** The entries holding the topic's postings, and each posting's index there (O(1) removal). */
  readonly entries: Entry[];
  readonly positions: number[];
  /** A posting record without an entry, for topics without anchors. */
  readonly unanchoredRecord: Int32Array | undefined;
}

/** Generations are Int32 stamps; at this value all stamps are cleared and counting restarts. */
const MAX_GENERATION = 0x7fffffff;

function grownInt32(array: Int32Array, needed: number): Int32Array {
  if (needed < array.length) return array;
  const next = new Int32Array(Math.max(needed + 1, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Creates an empty topic index. Each topic is filed under a few anchors (one required term per
 * OR branch, see `anchors.ts`) in a dictionary of words, prefixes and space-less runs. Matching
 * a story takes two passes: each distinct word of the story is looked up once (and walks the
 * tries), which marks the one-word terms it contains; then the postings of the entries it hit
 * are read in order, skipping those whose filter term is absent, and each remaining topic is
 * verified by its compiled program over the marks (phrases are checked on demand), with the
 * same semantics as {@link evaluate}. The cost per story grows with its length and with the
 * number of topics that share its words, not with the number of topics.
 */
export function createTopicIndex(): TopicIndex {
  const dictionary = new Dictionary();
  const termTable = new TermTable(dictionary);
  const slab = new Int32Slab();
  const topics = new Map<string, Topic>();
  const bySlot: (Topic | undefined)[] = [];
  const freeSlots: number[] = [];
  /** Topic id by slot. */
  const ids: string[] = [];
  /** Match generation in which each slot was last verified (a topic is verified once per story). */
  let stamps: Int32Array = new Int32Array(64);
  /** Topics without anchors (none once parseQuery refuses exclusion-only queries). */
  const unanchored = new Set<Topic>();
  /** Entries the story hit, in the first pass; their postings are read in the second. */
  const hitEntries: Entry[] = [];
  let generation = 0;
  let currentDoc: PreparedDocument | undefined;
  let results: TopicMatch[] = [];
  let { seen, value, lazy } = termTable;

  const truth = (n: number): boolean => {
    if (seen[n] === generation) return value[n] === 1;
    const term = lazy[n] === 1 ? termTable.terms[n] : undefined;
    if (term === undefined || currentDoc === undefined) return false;
    const result = termMatches(term, currentDoc);
    seen[n] = generation;
    value[n] = result ? 1 : 0;
    return result;
  };
  const runner = createProgramRunner(
    truth,
    () => seen,
    () => generation,
  );

  const mark = (n: number): void => {
    seen[n] = generation;
    value[n] = 1;
  };
  const hit = (entry: Entry): void => {
    if (entry.term0 !== -1) {
      mark(entry.term0);
      if (entry.term1 !== -1) mark(entry.term1);
      if (entry.moreTerms !== undefined) for (const n of entry.moreTerms) mark(n);
    }
    if (entry.count > 0) hitEntries.push(entry);
  };

  /**
   * Verifies the topic of the posting record at `at` of `data` (stamped: once per story) and
   * reports a match.
   */
  const verify = (data: Int32Array, at: number): void => {
    const slot = data[at + POSTING_SLOT] ?? 0;
    if (stamps[slot] === generation) return;
    stamps[slot] = generation;
    const code = data[at + POSTING_CODE] ?? 0;
    if (code < 0 && code !== INLINE_PROGRAM) {
      results.push({ topicId: ids[slot] ?? '', terms: [termTable.keys[-1 - code] ?? ''] });
      return;
    }
    const program = code === INLINE_PROGRAM ? data : slab.data;
    const start = code === INLINE_PROGRAM ? at + POSTING_PROGRAM : code;
    if (!runner.matches(program, start)) return;
    const terms: string[] = [];
    runner.matchedTerms(program, start, termTable.keys, terms);
    results.push({ topicId: ids[slot] ?? '', terms });
  };

  /** Second pass, once all one-word terms are marked. */
  const verifyPostings = (entry: Entry): void => {
    const data = entry.postings;
    const end = entry.count * POSTING_INTS;
    for (let at = 0; at < end; at += POSTING_INTS) {
      const filter = data[at + POSTING_FILTER] ?? -1;
      if (filter === -1 || seen[filter] === generation) verify(data, at);
    }
  };

  function remove(topicId: string): boolean {
    const topic = topics.get(topicId);
    if (topic === undefined) return false;
    topic.entries.forEach((entry, i) => {
      const position = topic.positions[i] ?? 0;
      const moved = removePostingAt(entry, position);
      const other = moved === -1 ? undefined : bySlot[moved];
      if (other === undefined) return;
      // The moved posting was the last one: find it in its topic by that old position.
      const last = entry.count;
      const j = other.entries.findIndex((e, k) => e === entry && other.positions[k] === last);
      if (j !== -1) other.positions[j] = position;
    });
    for (const n of topic.termNumbers) termTable.release(n);
    if (topic.programOffset !== -1) slab.release(topic.programOffset, topic.programLength);
    unanchored.delete(topic);
    topics.delete(topicId);
    bySlot[topic.slot] = undefined;
    ids[topic.slot] = '';
    freeSlots.push(topic.slot);
    return true;
  }

  function add(topicId: string, query: ParsedQuery): void {
    remove(topicId);
    const slot = freeSlots.pop() ?? bySlot.length;
    stamps = grownInt32(stamps, slot);
    stamps[slot] = generation;
    const termNumbers: number[] = [];
    const program = compileProgram(query.ast, (term) => {
      const n = termTable.acquire(term);
      termNumbers.push(n);
      return { number: n, guards: termTable.guards[n] };
    });
    ({ seen, value, lazy } = termTable);
    const ast = query.ast;
    const single = ast.type === 'term' && singleWordKind(ast) !== undefined;
    const inline = !single && program.length <= INLINE_PROGRAM_MAX;
    const programOffset = single || inline ? -1 : slab.store(program);
    const record = new Int32Array(POSTING_INTS);
    record[POSTING_SLOT] = slot;
    record[POSTING_CODE] = single ? -1 - (program[0] ?? 0) : inline ? INLINE_PROGRAM : programOffset;
    if (inline) record.set(program, POSTING_PROGRAM);
    const entries: Entry[] = [];
    const positions: number[] = [];
    const anchors = anchorsFor(ast);
    for (const anchor of anchors ?? []) {
      const filter = anchor.filter === undefined ? -1 : (termTable.numberOf(anchor.filter.key) ?? -1);
      record[POSTING_FILTER] = filter;
      for (const entry of dictionary.entries(anchor.kind, anchor.key)) {
        const duplicate = entries.some((e, k) => e === entry && e.postings[(positions[k] ?? 0) * POSTING_INTS + POSTING_FILTER] === filter);
        if (duplicate) continue;
        entries.push(entry);
        positions.push(appendPosting(entry, record));
      }
    }
    record[POSTING_FILTER] = -1;
    // Arrays grown by push keep spare room for 17+ elements; exact copies keep 100k topics small.
    const topic: Topic = {
      id: topicId,
      slot,
      termNumbers: termNumbers.slice(),
      programOffset,
      programLength: program.length,
      entries: entries.slice(),
      positions: positions.slice(),
      unanchoredRecord: anchors === undefined ? record : undefined,
    };
    topics.set(topicId, topic);
    bySlot[slot] = topic;
    ids[slot] = topicId;
    if (anchors === undefined) unanchored.add(topic);
  }

  function nextGeneration(): void {
    if (generation === MAX_GENERATION) {
      stamps.fill(0);
      seen.fill(0);
      generation = 0;
    }
    generation += 1;
  }

  function match(doc: PreparedDocument): TopicMatch[] {
    nextGeneration();
    currentDoc = doc;
    results = [];
    hitEntries.length = 0;
    const words = dictionary.words.entries;
    const prefixes = dictionary.prefixes;
    const scanPrefixes = !prefixes.isEmpty;
    for (const word of doc.words) {
      const entry = words.get(word);
      if (entry !== undefined) hit(entry);
      if (scanPrefixes) prefixes.visit(word, 0, hit);
    }
    if (!dictionary.spaceless.isEmpty) {
      for (const run of doc.spaceless) {
        for (let i = 0; i < run.length; i++) dictionary.spaceless.visit(run, i, hit);
      }
    }
    for (const entry of hitEntries) verifyPostings(entry);
    hitEntries.length = 0;
    for (const topic of unanchored) if (topic.unanchoredRecord !== undefined) verify(topic.unanchoredRecord, 0);
    const out = results;
    results = [];
    currentDoc = undefined;
    return out;
  }

  return {
    add,
    remove,
    has: (topicId) => topics.has(topicId),
    get size() {
      return topics.size;
    },
    match,
  };
}
