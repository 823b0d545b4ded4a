import { createInterface } from 'node:readline';
import { evaluate } from '../core/matcher.js';
import { QueryError } from '../core/query/errors.js';
import { parseQuery } from '../core/query/parser.js';
import type { ParsedQuery } from '../core/query/ast.js';
import { prepareDocument } from '../core/text/normalize.js';

/** Standard streams of the CLI, injectable for tests. */
export interface MatchIo {
  stdin: NodeJS.ReadableStream;
  stdout(text: string): void;
  stderr(text: string): void;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TypeError(`"${field}" must be a string`);
  return value;
}

/** Matches one input line; throws for a line that is not a story. */
function matchLine(query: ParsedQuery, line: string): { match: boolean; terms: string[] } {
  const value: unknown = JSON.parse(line);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('each line must be a JSON object {"title", "content", "categories"?}');
  }
  const record = value as Record<string, unknown>;
  const title = optionalString(record.title, 'title');
  const content = optionalString(record.content, 'content');
  if (title === undefined && content === undefined) throw new TypeError('a story needs "title" or "content"');
  const categories = record.categories ?? [];
  if (!Array.isArray(categories) || !categories.every((c): c is string => typeof c === 'string')) {
    throw new TypeError('"categories" must be an array of strings');
  }
  return evaluate(query, prepareDocument({ title: title ?? '', html: content, categories }));
}

/**
 * `newshound match '<query>'`: reads stories as JSON lines `{title, content, categories?}`
 * (content may be HTML) and writes one JSON line per story, `{"match": bool, "terms": [...]}`,
 * or `{"match": false, "error": "..."}` for a line that is not a story. Blank lines are
 * skipped. Returns the exit code: 0, or 2 when the query does not parse (error on stderr).
 */
export async function runMatch(query: string, io: MatchIo): Promise<number> {
  let parsed: ParsedQuery;
  try {
    parsed = parseQuery(query);
  } catch (err) {
    if (err instanceof QueryError) {
      io.stderr(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let result: Record<string, unknown>;
    try {
      result = matchLine(parsed, line);
    } catch (err) {
      // A bad line is reported in its place; the stream goes on.
      const message = err instanceof Error ? err.message : String(err);
      result = { match: false, error: err instanceof SyntaxError ? `invalid JSON: ${message}` : message };
    }
    io.stdout(`${JSON.stringify(result)}\n`);
  }
  return 0;
}
