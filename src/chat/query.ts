import type { ParsedQuery } from '../core/query/ast.js';
import { QueryError } from '../core/query/errors.js';
import { parseQuery } from '../core/query/parser.js';
import { topicIdFor } from '../storage/subscription-store.js';
import { UserError } from './errors.js';

/** Parses a query typed by a user; a query that does not parse is a user error that says where and why. */
export function parseUserQuery(text: string): ParsedQuery {
  try {
    return parseQuery(text);
  } catch (err) {
    if (err instanceof QueryError) {
      // The message's first line repeats the reason; the rest is the query with a caret under the problem.
      const pointer = err.message.split('\n').slice(1).join('\n');
      throw new UserError(`bad-query:${err.code}`, `That query does not work (character ${err.character}): ${err.reason}`, { detail: pointer });
    }
    throw err;
  }
}

/** The topic (id and canonical query) a parsed query stands for. */
export function topicOf(query: ParsedQuery): { id: string; canonical: string } {
  return { id: topicIdFor(query.canonical), canonical: query.canonical };
}
