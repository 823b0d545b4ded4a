import type { QueryNode, QueryTerm } from '../query/ast.js';
import { isSpaceless } from '../text/normalize.js';
import type { EntryKind } from './dictionary.js';
import { singleWordKind } from './terms.js';

/**
 * A condition a story must meet for a topic to possibly match, cheap to look up from the story
 * side: `word` a token equal to `key`; `inflected` a token equal to `key`, `key+s` or `key+es`;
 * `prefix` a token starting with `key`; `spaceless` a space-less run containing `key`.
 */
export interface Anchor {
  readonly kind: EntryKind;
  readonly key: string;
  /**
   * Another one-word term required in the same AND as the anchor, if any: a story that hits
   * the anchor but lacks the filter cannot match through this anchor.
   */
  readonly filter: QueryTerm | undefined;
}

interface AnchorSet {
  readonly anchors: readonly Anchor[];
  /** Rough expected number of stories hitting one of the anchors; lower is better. */
  readonly cost: number;
}

/**
 * Words so common in English and German news that a topic anchored on them would be verified
 * for nearly every story; any other required word is a better anchor.
 */
const COMMON_WORDS: ReadonlySet<string> = new Set(
  ('a an and are as at be by for from has have in is it its of on or that the this to was were will with ' +
    'am auf aus bei das dass dem den der des die ein eine einen einer es fur hat im in ist mit nach nicht ' +
    'sich sie und vom von wird zu zum zur').split(' '),
);

/** Longer words are rarer; prefixes and substrings hit more stories than whole words. */
function cost(kind: EntryKind, key: string): number {
  const length = key.length;
  switch (kind) {
    case 'word':
    case 'inflected':
      return (COMMON_WORDS.has(key) ? 50 : 1) + 4 / length;
    case 'prefix':
      return 2 + 12 / length;
    case 'spaceless':
      return 2 + 4 / length;
  }
}

/** The cheapest anchor that every story containing the term meets. */
function termAnchor(term: QueryTerm): { anchor: Anchor; cost: number } {
  let best: Anchor = { kind: 'word', key: term.pattern, filter: undefined };
  let bestCost = Infinity;
  const last = term.words.length - 1;
  term.words.forEach((word, i) => {
    let kind: EntryKind = 'word';
    // Space-less words live in `PreparedDocument.spaceless`, never in `words`.
    if (isSpaceless(word)) kind = 'spaceless';
    else if (i === last && term.prefix) kind = 'prefix';
    else if (i === last && term.inflects) kind = 'inflected';
    const c = cost(kind, word);
    if (c < bestCost) {
      best = { kind, key: word, filter: undefined };
      bestCost = c;
    }
  });
  return { anchor: best, cost: bestCost };
}

/** The rarest-looking one-word term among the operands of an AND, other than `except`. */
function filterTerm(children: readonly QueryNode[], except: QueryNode): QueryTerm | undefined {
  let best: QueryTerm | undefined;
  let bestCost = Infinity;
  for (const child of children) {
    if (child === except || child.type !== 'term') continue;
    const kind = singleWordKind(child);
    if (kind === undefined) continue;
    const c = cost(kind, child.pattern);
    if (c < bestCost) {
      best = child;
      bestCost = c;
    }
  }
  return best;
}

function anchorSet(node: QueryNode, negated: boolean): AnchorSet | undefined {
  switch (node.type) {
    case 'term': {
      if (negated) return undefined;
      const { anchor, cost: c } = termAnchor(node);
      return { anchors: [anchor], cost: c };
    }
    case 'not':
      return anchorSet(node.child, !negated);
    case 'and':
    case 'or': {
      // Under a negation, De Morgan swaps the roles: NOT (a AND b) behaves as an OR.
      if ((node.type === 'or') !== negated) {
        const anchors: Anchor[] = [];
        let total = 0;
        for (const child of node.children) {
          const set = anchorSet(child, negated);
          if (set === undefined) return undefined;
          anchors.push(...set.anchors);
          total += set.cost;
        }
        return { anchors, cost: total };
      }
      let best: AnchorSet | undefined;
      let bestChild: QueryNode | undefined;
      for (const child of node.children) {
        const set = anchorSet(child, negated);
        if (set !== undefined && (best === undefined || set.cost < best.cost)) {
          best = set;
          bestChild = child;
        }
      }
      if (best === undefined || bestChild === undefined || negated) return best;
      const filter = filterTerm(node.children, bestChild);
      if (filter === undefined) return best;
      return { anchors: best.anchors.map((a) => (a.filter === undefined ? { ...a, filter } : a)), cost: best.cost };
    }
  }
}

/**
 * Anchors for a query: every story the query matches meets at least one of them (and its
 * filter). One required term is chosen per OR branch, the rarest-looking one. Undefined when
 * the query has a branch without a required term (it matches stories that contain none of its
 * terms).
 */
export function anchorsFor(query: QueryNode): Anchor[] | undefined {
  const set = anchorSet(query, false);
  if (set === undefined) return undefined;
  const seen = new Set<string>();
  return set.anchors.filter((a) => {
    const id = `${a.kind}:${a.key}:${a.filter?.key ?? ''}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
