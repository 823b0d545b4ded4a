import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTopicIndex, evaluate, type TopicMatch } from '../../src/core/matcher.js';
import type { ParsedQuery } from '../../src/core/query/ast.js';
import { QueryError } from '../../src/core/query/errors.js';
import { parseQuery } from '../../src/core/query/parser.js';
import { prepareDocument } from '../../src/core/text/normalize.js';

/**
 * A small vocabulary, so that random topics and stories share words: plurals and genitives,
 * words inside longer words, diacritics and ß, and space-less scripts.
 */
const WORDS = [
  'tiktok', 'tiktoks', 'ban', 'bans', 'bank', 'banes', 'match', 'matches', 'verbot', 'verbots', 'münchen',
  'munchen', 'straße', 'strasse', 'klima', 'klimawandel', 'ai', 'airlines', 'at', 't', 's', 'es', 'e', 'or',
  'bus', 'buses', '字节', '跳动', '字节跳动', 'ティック', 'トック',
];
const SEPARATORS = [' ', ' ', ' ', '-', ', ', '’', '\n', '', '🔥', '. '];

const word = fc.constantFrom(...WORDS);

/** A story: words joined by random separators, in random case. */
const storyText = fc
  .array(fc.tuple(word, fc.constantFrom(...SEPARATORS), fc.boolean()), { minLength: 0, maxLength: 14 })
  .map((parts) => parts.map(([w, sep, upper]) => (upper ? w.toUpperCase() : w) + sep).join(''));

const story = fc.record({
  title: storyText,
  text: storyText,
  categories: fc.array(fc.constantFrom('Politik', 'tech', 'Klima'), { maxLength: 2 }),
});

/** A query term as a user types it. */
const term = fc.oneof(
  { weight: 5, arbitrary: word },
  { weight: 2, arbitrary: fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`) },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `${a}-${b}`) },
  { weight: 2, arbitrary: word.map((w) => `${[...w].slice(0, Math.max(1, [...w].length - 2)).join('')}*`) },
  { weight: 1, arbitrary: word.map((w) => `"${w}"`) },
);

/** A query: terms combined with AND, OR, negation and groups, to a small depth. */
const query: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: term },
    { weight: 2, arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a} ${b}`) },
    { weight: 2, arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a}) OR (${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a} | ${b}`) },
    { weight: 2, arbitrary: fc.tuple(tie('expr'), term).map(([a, b]) => `${a} -${b}`) },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a} NOT (${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), term).map(([a, b]) => `(${a} OR -${b})`) },
    { weight: 1, arbitrary: tie('expr').map((a) => `-(${a})`) },
  ),
})).expr;

/** Parses, or undefined for the queries the language refuses (only exclusions, too many terms). */
function tryParse(input: string): ParsedQuery | undefined {
  try {
    return parseQuery(input);
  } catch (err) {
    if (err instanceof QueryError) return undefined;
    throw err;
  }
}

const parsedQuery = query.map(tryParse).filter((q): q is ParsedQuery => q !== undefined);

function sorted(matches: TopicMatch[]): TopicMatch[] {
  return [...matches].sort((a, b) => a.topicId.localeCompare(b.topicId));
}

function bruteForce(topics: ReadonlyMap<string, ParsedQuery>, input: Parameters<typeof prepareDocument>[0]): TopicMatch[] {
  const doc = prepareDocument(input);
  const out: TopicMatch[] = [];
  for (const [topicId, q] of topics) {
    const result = evaluate(q, doc);
    if (result.match) out.push({ topicId, terms: result.terms });
  }
  return sorted(out);
}

describe('the topic index', () => {
  it('returns exactly the topics that evaluating every topic returns, with the same terms', () => {
    fc.assert(
      fc.property(fc.array(parsedQuery, { minLength: 1, maxLength: 25 }), fc.array(story, { minLength: 1, maxLength: 4 }), (queries, stories) => {
        const index = createTopicIndex();
        const topics = new Map(queries.map((q, i) => [`t${i}`, q] as const));
        for (const [id, q] of topics) index.add(id, q);
        for (const s of stories) expect(sorted(index.match(prepareDocument(s)))).toEqual(bruteForce(topics, s));
      }),
      { numRuns: 400 },
    );
  });

  it('stays exact while topics are added, replaced and removed', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 0, max: 12 }), query: parsedQuery }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 12 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 40 }), fc.array(story, { minLength: 1, maxLength: 3 }), (operations, stories) => {
        const index = createTopicIndex();
        const topics = new Map<string, ParsedQuery>();
        for (const op of operations) {
          const id = `t${op.id}`;
          if (op.kind === 'add') {
            index.add(id, op.query);
            topics.set(id, op.query);
          } else {
            expect(index.remove(id)).toBe(topics.delete(id));
          }
          expect(index.size).toBe(topics.size);
        }
        for (const s of stories) expect(sorted(index.match(prepareDocument(s)))).toEqual(bruteForce(topics, s));
      }),
      { numRuns: 300 },
    );
  });

  it('gives each story the same answer however many stories it matched before', () => {
    fc.assert(
      fc.property(fc.array(parsedQuery, { minLength: 1, maxLength: 10 }), fc.array(story, { minLength: 2, maxLength: 6 }), (queries, stories) => {
        const index = createTopicIndex();
        queries.forEach((q, i) => index.add(`t${i}`, q));
        const first = stories.map((s) => sorted(index.match(prepareDocument(s))));
        const again = stories.map((s) => sorted(index.match(prepareDocument(s))));
        expect(again).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });
});

describe('canonical forms', () => {
  it('parse to themselves and match the same stories as the input', () => {
    fc.assert(
      fc.property(parsedQuery, fc.array(story, { minLength: 1, maxLength: 3 }), (q, stories) => {
        const again = parseQuery(q.canonical, { maxLength: Infinity });
        expect(again.canonical).toBe(q.canonical);
        for (const s of stories) {
          const doc = prepareDocument(s);
          expect(evaluate(again, doc)).toEqual(evaluate(q, doc));
        }
      }),
      { numRuns: 400 },
    );
  });
});
