import { htmlToText, looksLikeHtml } from '../core/html-text.js';
import { summarize } from '../core/summary/summarize.js';
import { extractArticle } from '../feeds/article-extract.js';
import { readStdinBytes } from './stdin.js';

/** `--lang` values the command accepts. */
export const SUMMARIZE_LANGUAGES = ['de', 'en', 'auto'] as const;
export type SummarizeLanguage = (typeof SUMMARIZE_LANGUAGES)[number];

/** Input beyond this is ignored (a saved news page is far smaller). */
const STDIN_MAX_BYTES = 10 * 1024 * 1024;

/** Standard streams of the CLI, injectable for tests. */
export interface SummarizeIo {
  stdin: NodeJS.ReadableStream;
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `newshound summarize [--lang de|en|auto]`: reads article text or HTML (a whole page or a
 * fragment) on stdin and prints the summary Newshound would put in an alert, one line. A whole
 * page is reduced to its article first, as for fetched pages. Returns the exit code: 0, or 1
 * when the input has no text to summarize (message on stderr).
 */
export async function runSummarize(lang: SummarizeLanguage, io: SummarizeIo): Promise<number> {
  const input = (await readStdinBytes(io.stdin, STDIN_MAX_BYTES)).toString('utf8');
  let text = input;
  let title: string | undefined;
  if (looksLikeHtml(input)) {
    const article = extractArticle(input);
    text = article?.text ?? htmlToText(input);
    title = article?.title;
  }
  const summary = summarize({ text, title, language: lang === 'auto' ? undefined : lang });
  if (summary === undefined) {
    io.stderr('nothing to summarize: the input has no text\n');
    return 1;
  }
  io.stdout(`${summary.text}\n`);
  return 0;
}
