import type { QueryNode, QueryTerm } from '../query/ast.js';
import type { PreparedDocument } from '../text/normalize.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const LOWER_S = 0x73;
const LOWER_E = 0x65;

function isSeparator(code: number): boolean {
  return code === SPACE || code === NEWLINE;
}

/** Every word of the phrase is in the story somewhere: a cheap test before the phrase search. */
function phraseWordsPresent(term: QueryTerm, doc: PreparedDocument): boolean {
  const words = term.words;
  const last = words.length - 1;
  for (let i = term.firstSpaceless ? 1 : 0; i < last; i++) {
    const word = words[i] ?? '';
    // Inner words are whole tokens; only an inner space-less run is not in `words`.
    if (!doc.words.has(word) && !(i > 0 && doc.spaceless.includes(word))) return false;
  }
  if (term.lastSpaceless || term.prefix) return true;
  const lastWord = words[last] ?? '';
  return term.inflects ? doc.stems.has(lastWord) : doc.words.has(lastWord);
}

/** The phrase occurs as consecutive tokens in `sequence` (see `PreparedDocument.sequence`). */
function phraseMatches(term: QueryTerm, doc: PreparedDocument): boolean {
  if (!phraseWordsPresent(term, doc)) return false;
  const sequence = doc.sequence;
  const pattern = term.pattern;
  for (let at = sequence.indexOf(pattern); at !== -1; at = sequence.indexOf(pattern, at + 1)) {
    // A space-less first word may end a longer run; any other word must start a token.
    if (!term.firstSpaceless && !isSeparator(sequence.charCodeAt(at - 1))) continue;
    const end = at + pattern.length;
    if (term.lastSpaceless || term.prefix) return true;
    const next = sequence.charCodeAt(end);
    if (isSeparator(next)) return true;
    if (!term.inflects || (next !== LOWER_S && next !== LOWER_E)) continue;
    if (next === LOWER_S && isSeparator(sequence.charCodeAt(end + 1))) return true;
    if (next === LOWER_E && sequence.charCodeAt(end + 1) === LOWER_S && isSeparator(sequence.charCodeAt(end + 2))) return true;
  }
  return false;
}

/** True when the story contains the term (see `QueryTerm` for what each kind matches). */
export function termMatches(term: QueryTerm, doc: PreparedDocument): boolean {
  if (term.words.length > 1) return phraseMatches(term, doc);
  const word = term.pattern;
  if (term.firstSpaceless) {
    for (const run of doc.spaceless) if (run.includes(word)) return true;
    return false;
  }
  if (term.prefix) {
    for (const candidate of doc.words) if (candidate.startsWith(word)) return true;
    return false;
  }
  return term.inflects ? doc.stems.has(word) : doc.words.has(word);
}

/** Truth of a query node for a story. */
export function nodeMatches(node: QueryNode, doc: PreparedDocument): boolean {
  switch (node.type) {
    case 'term':
      return termMatches(node, doc);
    case 'not':
      return !nodeMatches(node.child, doc);
    case 'and':
      for (const child of node.children) if (!nodeMatches(child, doc)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (nodeMatches(child, doc)) return true;
      return false;
  }
}

/**
 * Adds to `out` the present terms that make `node` evaluate to `value`: for a true AND all its
 * operands, for a true OR the true ones, through negations with the value flipped. Terms that
 * are present but irrelevant (in an OR branch that failed) are not reported.
 */
export function collectTerms(node: QueryNode, doc: PreparedDocument, value: boolean, out: string[]): void {
  switch (node.type) {
    case 'term':
      if (value && !out.includes(node.key)) out.push(node.key);
      return;
    case 'not':
      collectTerms(node.child, doc, !value, out);
      return;
    case 'and':
    case 'or':
      for (const child of node.children) {
        if (nodeMatches(child, doc) === value) collectTerms(child, doc, value, out);
      }
  }
}
