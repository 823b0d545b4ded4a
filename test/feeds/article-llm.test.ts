import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import { checkModelSummary, createModelSummarizer, ModelSummaryError } from '../../src/feeds/article-llm.js';
import { createStorySummarizer, type StorySummarizer } from '../../src/feeds/article-summary.js';
import { createLogger } from '../../src/log.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { startFakeLlm, type FakeLlm } from '../fakes/fake-llm.js';
import { testRuntime } from '../support/runtime.js';

const API_KEY = 'sk-test-7f3a9c1e-never-log-me';
const GERMAN_TEXT = [
  'Die Stadtwerke Hellbach erhöhen zum 1. April die Preise für Fernwärme um durchschnittlich zwölf Prozent.',
  'Betroffen sind nach Angaben des Unternehmens rund 9.000 Haushalte in der Innenstadt.',
  'Die Verbraucherzentrale kritisiert die Erhöhung und verweist auf den Rekordgewinn des Versorgers.',
].join(' ');
const EXTRACTIVE = 'Die Stadtwerke Hellbach erhöhen zum 1. April die Preise für Fernwärme um durchschnittlich zwölf Prozent.';
const MODEL_ANSWER = 'Die Stadtwerke Hellbach heben die Fernwärmepreise zum 1. April um zwölf Prozent an, betroffen sind rund 9.000 Haushalte. Die Verbraucherzentrale kritisiert den Schritt.';

let llm: FakeLlm;
let runtime: Runtime;
let logLines: string[];
let n = 0;

beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(async () => {
  await llm.close();
});
beforeEach(async () => {
  runtime = await testRuntime({ SUMMARY_FETCH_ARTICLES: 'false' });
  logLines = [];
});
afterEach(async () => {
  await runtime.close();
});

function summarizerWithModel(timeoutMs = 2_000): StorySummarizer {
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const model = createModelSummarizer({ url: llm.url, model: 'news-small', apiKey: API_KEY, timeoutMs });
  return createStorySummarizer({ stories: runtime.ctx.stories, log, model });
}

async function germanStory(): Promise<Story> {
  const story = storyFromItem({ title: 'Fernwärme wird teurer', link: `https://news.example/${++n}`, contentSnippet: GERMAN_TEXT }, `url:llm/${n}`, { id: 'f', name: 'Anzeiger', language: 'de' }, new Date());
  await runtime.ctx.stories.add(story);
  return story;
}

describe('model summaries through an OpenAI-compatible endpoint', () => {
  it('asks for two sentences in the story’s language and stores the answer', async () => {
    llm.reply(`  "${MODEL_ANSWER}"\n`);
    const story = await germanStory();
    const updated = await summarizerWithModel().summarizeStory(story, ['fernwarme']);
    expect(updated).toMatchObject({ summary: MODEL_ANSWER, summarySource: 'model', language: 'de' });
    expect((await runtime.ctx.stories.get(story.id))?.summary).toBe(MODEL_ANSWER);
    const request = llm.requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body.model).toBe('news-small');
    expect(request.body.messages?.[0]?.content).toMatch(/exactly two sentences, written in German/);
    expect(request.body.messages?.[1]?.content).toContain('Fernwärme wird teurer');
  });

  it('falls back to the extractive summary when the model does not answer in time', async () => {
    llm.hang();
    const updated = await summarizerWithModel(150).summarizeStory(await germanStory(), []);
    expect(updated.summarySource).toBe('feed');
    expect(updated.summary).toContain(EXTRACTIVE);
    expect(logLines.join('')).toMatch(/"reason":"timeout"/);
  });

  it.each([
    ['an HTTP error', () => llm.respond({ status: 500, body: '{"error":"overloaded"}' })],
    ['a body that is not JSON', () => llm.respond({ status: 200, body: '<html>Bad Gateway</html>', contentType: 'text/html' })],
    ['JSON that is not a chat completion', () => llm.respond({ status: 200, body: '{"result":"ok"}' })],
    ['an empty answer', () => llm.reply('   ')],
    ['an answer over 400 characters', () => llm.reply(`${MODEL_ANSWER} `.repeat(3))],
    ['an answer in the wrong language', () => llm.reply('The Hellbach utility is raising district heating prices by twelve percent from April, affecting about 9,000 households.')],
  ])('falls back to the extractive summary for %s', async (_what, arrange) => {
    arrange();
    const asked = llm.requests.length;
    const updated = await summarizerWithModel().summarizeStory(await germanStory(), []);
    expect(llm.requests.length).toBe(asked + 1);
    expect(updated.summarySource).toBe('feed');
    expect(updated.summary).toContain(EXTRACTIVE);
  });

  it('never writes the API key to the logs', async () => {
    const log = createLogger({ level: 'trace', destination: { write: (line: string) => void logLines.push(line) } });
    const config = loadConfig({ SUMMARY_LLM_URL: llm.url, SUMMARY_LLM_MODEL: 'm', SUMMARY_LLM_API_KEY: API_KEY });
    log.info({ config }, 'configuration');
    log.info({ SUMMARY_LLM_API_KEY: API_KEY, options: { apiKey: API_KEY }, apiKey: API_KEY }, 'careless');
    llm.respond({ status: 401, body: `{"error":"invalid key ${API_KEY.slice(0, 4)}…"}` });
    await summarizerWithModel().summarizeStory(await germanStory(), []);
    llm.hang();
    await summarizerWithModel(100).summarizeStory(await germanStory(), []);
    const all = logLines.join('');
    expect(all).toContain('model summary not used');
    expect(all).not.toContain(API_KEY);
  });

  it('checks answers: whitespace and wrapping quotes go, limits and language are enforced', async () => {
    await expect(checkModelSummary(' „Ein Satz.  Noch einer.“ ', 'de')).resolves.toBe('Ein Satz. Noch einer.');
    await expect(checkModelSummary('x'.repeat(401), undefined)).rejects.toThrow(ModelSummaryError);
    await expect(checkModelSummary('Short English answer about a local council vote on Tuesday.', undefined)).resolves.toMatch(/^Short/);
  });
});

describe('summary configuration', () => {
  it('defaults to fetching articles and no model', () => {
    expect(loadConfig({})).toMatchObject({ SUMMARY_FETCH_ARTICLES: true, SUMMARY_LLM_TIMEOUT_SECONDS: 15 });
    expect(loadConfig({}).SUMMARY_LLM_URL).toBeUndefined();
    expect(loadConfig({ SUMMARY_FETCH_ARTICLES: 'off' }).SUMMARY_FETCH_ARTICLES).toBe(false);
  });

  it('names the variable and never the value of a bad setting', () => {
    const problems = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.message;
        throw err;
      }
      return '';
    };
    expect(problems({ SUMMARY_FETCH_ARTICLES: 'sometimes' })).toMatch(/SUMMARY_FETCH_ARTICLES must be true or false/);
    expect(problems({ SUMMARY_LLM_URL: 'ftp://secret-host/v1' })).toMatch(/SUMMARY_LLM_URL must use https: or http:/);
    expect(problems({ SUMMARY_LLM_URL: 'ftp://secret-host/v1' })).not.toContain('secret-host');
    expect(problems({ SUMMARY_LLM_URL: 'http://127.0.0.1:1/v1/chat/completions', SUMMARY_LLM_API_KEY: API_KEY })).toMatch(/SUMMARY_LLM_MODEL is required/);
    expect(problems({ SUMMARY_LLM_URL: 'http://127.0.0.1:1/v1/chat/completions', SUMMARY_LLM_API_KEY: API_KEY })).not.toContain(API_KEY);
  });
});
