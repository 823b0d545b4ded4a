import { request } from 'undici';
import { z } from 'zod';
import { SUMMARY_MAX_CHARS } from '../core/summary/limits.js';

/**
 * Optional model summaries through an OpenAI-compatible chat completions endpoint
 * (`POST {SUMMARY_LLM_URL}` with `{model, messages}`; OpenAI, Azure-style proxies, Ollama,
 * vLLM, llama.cpp all speak it). The operator's endpoint is trusted like the Redis URL, so it is
 * not behind the feed SSRF guard. The API key is sent as a bearer token and never logged.
 */

/** Default time for a whole model call (connect, generate, read). */
export const MODEL_TIMEOUT_MS = 15_000;
/** Article text sent to the model is cut here (about 2,000 tokens). */
export const MODEL_INPUT_MAX_CHARS = 8_000;
/** An answer larger than this is not a two-sentence summary; reading stops there. */
const MODEL_RESPONSE_MAX_BYTES = 256 * 1024;

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  de: 'German', en: 'English', fr: 'French', es: 'Spanish', it: 'Italian', nl: 'Dutch', pt: 'Portuguese',
  pl: 'Polish', sv: 'Swedish', da: 'Danish', no: 'Norwegian', fi: 'Finnish', cs: 'Czech', tr: 'Turkish',
};

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

/** What the model is asked to summarize. */
export interface ModelSummaryInput {
  title: string;
  text: string;
  /** ISO 639-1 code of the story's language; the answer must be in it. */
  language: string | undefined;
}

/** Asks a model for a summary; rejects on any failure (timeout, HTTP error, unusable answer). */
export interface ModelSummarizer {
  summarize(input: ModelSummaryInput, signal?: AbortSignal): Promise<string>;
}

export interface ModelSummarizerOptions {
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

/** Why a model answer was not used. The message never contains the API key or the answer. */
export class ModelSummaryError extends Error {
  constructor(readonly reason: 'timeout' | 'http' | 'invalid-response' | 'empty' | 'too-long' | 'wrong-language' | 'network', detail: string) {
    super(`model summary not used (${reason}): ${detail}`);
    this.name = 'ModelSummaryError';
  }
}

function instructions(language: string | undefined): string {
  const name = language === undefined ? "the article's own language" : (LANGUAGE_NAMES[language] ?? `the language with ISO code "${language}"`);
  return (
    `Summarize the news article in exactly two sentences, written in ${name}. ` +
    `Use only facts stated in the article: who, what, when, where. No opinions, no preamble, no quotation marks, ` +
    `no markdown. At most ${SUMMARY_MAX_CHARS} characters. Answer with the summary only.`
  );
}

/**
 * Checks a model's answer: trimmed and whitespace-collapsed, not empty, at most 400 characters,
 * and (when the story's language is known and the answer's is clear) in the story's language.
 * Returns the cleaned summary or throws {@link ModelSummaryError}. Loads the language detector
 * on first use, so processes that never summarize do not pay for its tables.
 */
export async function checkModelSummary(answer: string, language: string | undefined): Promise<string> {
  const text = answer.replace(/\s+/g, ' ').trim().replace(/^["'“„«]+|["'”“»]+$/gu, '').trim();
  if (text === '') throw new ModelSummaryError('empty', 'the answer was empty');
  if (text.length > SUMMARY_MAX_CHARS) throw new ModelSummaryError('too-long', `${text.length} characters`);
  if (language !== undefined) {
    const { detectLanguage } = await import('../core/summary/language.js');
    const detected = detectLanguage(text);
    if (detected.reliable && detected.language !== language) {
      throw new ModelSummaryError('wrong-language', `expected ${language}, got ${detected.language ?? 'unknown'}`);
    }
  }
  return text;
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MODEL_RESPONSE_MAX_BYTES) throw new ModelSummaryError('invalid-response', 'the answer is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Creates a client for an OpenAI-compatible chat completions endpoint. */
export function createModelSummarizer(opts: ModelSummarizerOptions): ModelSummarizer {
  const timeoutMs = opts.timeoutMs ?? MODEL_TIMEOUT_MS;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.apiKey !== undefined && opts.apiKey !== '') headers.authorization = `Bearer ${opts.apiKey}`;
  return {
    async summarize(input, signal) {
      const body = JSON.stringify({
        model: opts.model,
        temperature: 0.2,
        max_tokens: 300,
        messages: [
          { role: 'system', content: instructions(input.language) },
          { role: 'user', content: `${input.title}\n\n${input.text.slice(0, MODEL_INPUT_MAX_CHARS)}` },
        ],
      });
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new ModelSummaryError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
      const onAbort = (): void => abort.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const res = await request(opts.url, { method: 'POST', headers, body, signal: abort.signal });
        const raw = await readCapped(res.body);
        if (res.statusCode < 200 || res.statusCode > 299) throw new ModelSummaryError('http', `the endpoint answered ${res.statusCode}`);
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw new ModelSummaryError('invalid-response', 'the answer is not JSON');
        }
        const parsed = completionSchema.safeParse(json);
        if (!parsed.success) throw new ModelSummaryError('invalid-response', 'the answer is not a chat completion');
        return await checkModelSummary(parsed.data.choices[0]?.message.content ?? '', input.language);
      } catch (err) {
        if (err instanceof ModelSummaryError) throw err;
        if (abort.signal.aborted && abort.signal.reason instanceof ModelSummaryError) throw abort.signal.reason;
        if (signal?.aborted === true) throw err;
        const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'error';
        throw new ModelSummaryError('network', `the request failed (${code})`);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
