import { isSpaceless } from '../text/normalize.js';

/**
 * One search term after normalization: a word, a phrase (several consecutive words), a prefix
 * (`term*`) or a run of a space-less script. Build with {@link makeTerm}.
 */
export interface QueryTerm {
  readonly type: 'term';
  /** Canonical spelling, as shown in "matched terms": `tiktok`, `tik*`, `"tiktok ban"`, `at-t`. */
  readonly key: string;
  /** Normalized tokens; one for a word, several for a phrase. Never empty. */
  readonly words: readonly string[];
  /** The last word matches any word it begins (`term*`). */
  readonly prefix: boolean;
  /** The last word also matches with `s`/`es` appended (`ban` → `bans`, `match` → `matches`). */
  readonly inflects: boolean;
  /** `words` joined with single spaces, as searched in {@link PreparedDocument.sequence}. */
  readonly pattern: string;
  /** First/last word is in a space-less script, so it may sit inside a longer run. */
  readonly firstSpaceless: boolean;
  readonly lastSpaceless: boolean;
}

/** `-x` / `NOT x`. */
export interface NotNode {
  readonly type: 'not';
  readonly child: QueryNode;
}

/** All children must match (space or `AND`). */
export interface AndNode {
  readonly type: 'and';
  readonly children: readonly QueryNode[];
}

/** Any child may match (`OR` or `|`). */
export interface OrNode {
  readonly type: 'or';
  readonly children: readonly QueryNode[];
}

/** A node of a parsed topic query. */
export type QueryNode = QueryTerm | NotNode | AndNode | OrNode;

/** A topic query, parsed and validated by `parseQuery`. */
export interface ParsedQuery {
  /** The text as the user typed it. */
  readonly input: string;
  /**
   * Identity of the topic: queries with the same canonical form match exactly the same stories
   * (see `parseQuery` for what is normalized). Parses to itself.
   */
  readonly canonical: string;
  /** Canonical syntax tree: nested ANDs/ORs flattened, operands sorted and deduplicated. */
  readonly ast: QueryNode;
  /** Keys of the terms a story may be matched by (those not under a negation), canonical order. */
  readonly terms: readonly string[];
}

/**
 * Builds a term from normalized tokens. `quoted` asks for exact words: the plural/genitive
 * allowance then does not apply, which only matters when the last word is a plain word.
 */
export function makeTerm(words: readonly string[], prefix: boolean, quoted: boolean): QueryTerm {
  const last = words[words.length - 1] ?? '';
  const firstSpaceless = isSpaceless(words[0] ?? '');
  const lastSpaceless = isSpaceless(last);
  // A space-less run already matches inside longer runs, so `*` adds nothing there.
  const isPrefix = prefix && !lastSpaceless;
  const inflects = !quoted && !isPrefix && !lastSpaceless;
  const exact = quoted && !isPrefix && !lastSpaceless;
  const key = exact ? `"${words.join(' ')}"` : `${words.join('-')}${isPrefix ? '*' : ''}`;
  return {
    type: 'term',
    key,
    words: [...words],
    prefix: isPrefix,
    inflects,
    pattern: words.join(' '),
    firstSpaceless,
    lastSpaceless,
  };
}
