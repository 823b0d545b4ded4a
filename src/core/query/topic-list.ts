const QUOTES = new Set(['"', '“', '”', '„', '‟', '＂', '«', '»']);
const SEPARATORS = new Set([',', '，', '、']);

/**
 * Splits the argument of `subscribe` into topics at commas (`tiktok, bytedance` → two topics).
 * Commas inside quotes or parentheses do not split; pieces are trimmed and empty ones dropped.
 * An unclosed quote or parenthesis keeps the rest together, so `parseQuery` reports it.
 */
export function splitTopicList(input: string): string[] {
  const topics: string[] = [];
  let inQuote = false;
  let depth = 0;
  let start = 0;
  const flush = (end: number): void => {
    const topic = input.slice(start, end).trim();
    if (topic !== '') topics.push(topic);
    start = end + 1;
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    if (QUOTES.has(ch)) inQuote = !inQuote;
    else if (inQuote) continue;
    else if (ch === '(' || ch === '（') depth++;
    else if ((ch === ')' || ch === '）') && depth > 0) depth--;
    else if (depth === 0 && SEPARATORS.has(ch)) flush(i);
  }
  flush(input.length);
  return topics;
}
