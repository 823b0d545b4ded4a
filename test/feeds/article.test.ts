import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { storyFromItem, type Story } from '../../src/core/story.js';
import { looksLikeHtml } from '../../src/core/html-text.js';
import { decodeHtmlBytes, extractArticle } from '../../src/feeds/article-extract.js';
import { createArticleFetcher, createArticleSource } from '../../src/feeds/article-fetch.js';
import { createStorySummarizer, type StorySummarizer } from '../../src/feeds/article-summary.js';
import { parseAllowList } from '../../src/feeds/address-guard.js';
import type { FeedFetcher } from '../../src/feeds/fetch.js';
import { useFeedsAndRuntime } from '../support/feeds-runtime.js';
import { testRuntime } from '../support/runtime.js';

const env = useFeedsAndRuntime();

const PAGE = readFileSync(new URL('../fixtures/summaries/article-page-en.html', import.meta.url), 'utf8');
const TEASER = 'Councillors back a 40-megawatt project after a two-year fight.';
const HTML = { 'content-type': 'text/html; charset=utf-8' };

const fetchers: FeedFetcher[] = [];
let n = 0;

afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

/** A stored teaser story linking to `path` on the fake server. */
async function teaserStory(path: string, snippet = TEASER): Promise<Story> {
  const link = env.fake.url(path);
  const story = storyFromItem({ title: 'Harbour city approves floating solar farm', link, contentSnippet: snippet }, `url:test/${++n}`, { id: 'f1', name: 'Ledger' }, new Date());
  await env.runtime.ctx.stories.add(story);
  return story;
}

/** A summarizer with its own article fetcher and source (limits and allow-list as given). */
function summarizer(opts: { allowLoopback?: boolean; totalTimeoutMs?: number; hostMaxFetches?: number } = {}): StorySummarizer {
  const fetcher = createArticleFetcher({
    allowList: parseAllowList(opts.allowLoopback === false ? '' : '127.0.0.1'),
    headersTimeoutMs: opts.totalTimeoutMs ?? 5_000,
    totalTimeoutMs: opts.totalTimeoutMs ?? 5_000,
  });
  fetchers.push(fetcher);
  const { redis, keys, log } = env.runtime.ctx;
  const articles = createArticleSource({ redis, keys, log, fetcher, now: () => Date.now(), hostMaxFetches: opts.hostMaxFetches });
  return createStorySummarizer({ stories: env.runtime.ctx.stories, log, articles });
}

describe('article text extraction', () => {
  it('keeps the article and drops navigation, related links, cookie banner and footer', () => {
    const article = extractArticle(PAGE)!;
    expect(article.title).toBe('Harbour city approves floating solar farm on old reservoir');
    expect(article.lang).toBe('en');
    expect(article.text.split('\n')[0]).toMatch(/^Councillors in Port Aldwin have approved/);
    expect(article.text).not.toMatch(/cookie|Most read|Wind farm plan sinks|Quay Street/);
  });

  it('decodes a page by its <meta charset> when the server names none', () => {
    const html = '<html lang="de"><head><meta charset="iso-8859-1"></head><body><p>Größere Übernahme möglich.</p></body></html>';
    expect(decodeHtmlBytes(iconv.encode(html, 'latin1'), 'text/html')).toContain('Größere Übernahme');
    expect(decodeHtmlBytes(iconv.encode(html, 'latin1'), undefined)).toContain('Größere Übernahme');
  });

  it('tells HTML from plain text, and finds no article in a page without one', () => {
    expect(looksLikeHtml(PAGE)).toBe(true);
    expect(looksLikeHtml('Die Bahn streikt. Am Donnerstag fallen Züge aus (Ersatzverkehr <5 min>).')).toBe(false);
    expect(extractArticle('<html><body><nav><a href="/">Home</a></nav></body></html>')).toBeUndefined();
  });
});

describe('summaries from the whole article', () => {
  it('GIVEN a feed with only a teaser WHEN a matched story is summarized THEN the summary comes from the article page', async () => {
    env.fake.route('/a/solar', { body: PAGE, headers: HTML });
    const story = await teaserStory('/a/solar');
    const updated = await env.runtime.ctx.summaries.summarizeStory(story, ['solar']);
    expect(updated.summarySource).toBe('article');
    expect(updated.summary).toMatch(/^Councillors in Port Aldwin have approved a 40-megawatt floating solar farm/);
    expect(updated.summary!.length).toBeLessThanOrEqual(400);
    expect(updated.summary).not.toMatch(/newsletter|©/i);
    expect(updated.language).toBe('en');
    const stored = await env.runtime.ctx.stories.get(story.id);
    expect(stored).toMatchObject({ summary: updated.summary, summarySource: 'article', language: 'en' });
    expect(env.fake.requests.at(-1)?.headers.accept).toMatch(/^text\/html/);
  });

  it('fetches a page once: a second story with the same link is summarized from the cache', async () => {
    env.fake.route('/a/cached', { body: PAGE, headers: HTML });
    const first = await env.runtime.ctx.summaries.summarizeStory(await teaserStory('/a/cached'), []);
    const second = await env.runtime.ctx.summaries.summarizeStory(await teaserStory('/a/cached'), []);
    expect(second.summary).toBe(first.summary);
    expect(second.summarySource).toBe('article');
    expect(env.fake.requestCount('/a/cached')).toBe(1);
  });

  it('does not fetch when the feed carries the whole text, or when SUMMARY_FETCH_ARTICLES is off', async () => {
    env.fake.route('/a/full', { body: PAGE, headers: HTML });
    const fullText = extractArticle(PAGE)!.text;
    const full = await env.runtime.ctx.summaries.summarizeStory(await teaserStory('/a/full', fullText), []);
    expect(full.summarySource).toBe('feed');
    const off = await testRuntime({ SUMMARY_FETCH_ARTICLES: 'false' });
    try {
      const story = storyFromItem({ title: 'Solar farm', link: env.fake.url('/a/full'), contentSnippet: TEASER }, 'url:test/off', { id: 'f1', name: 'L' }, new Date());
      await off.ctx.stories.add(story);
      expect(await off.ctx.summaries.summarizeStory(story, [])).toMatchObject({ summary: TEASER, summarySource: 'feed' });
    } finally {
      await off.close();
    }
    expect(env.fake.requestCount('/a/full')).toBe(0);
  });

  it.each([
    ['a 404', '/a/missing', {}],
    ['a page that answers too slowly', '/a/slow', { totalTimeoutMs: 200 }],
    ['a page the SSRF guard refuses', '/a/private', { allowLoopback: false }],
    ['a page with no article in it', '/a/empty', {}],
  ] as const)('falls back to the feed text for %s, never to nothing', async (_what, path, opts) => {
    if (path === '/a/slow') env.fake.route(path, { body: PAGE, headers: HTML, delayHeadersMs: 60_000 });
    if (path === '/a/private') env.fake.route(path, { body: PAGE, headers: HTML });
    if (path === '/a/empty') env.fake.route(path, { body: '<html><body><p>Hi</p></body></html>', headers: HTML });
    const story = await teaserStory(path);
    const updated = await summarizer(opts).summarizeStory(story, []);
    expect(updated).toMatchObject({ summary: TEASER, summarySource: 'feed' });
    expect((await env.runtime.ctx.stories.get(story.id))?.summary).toBe(TEASER);
    // The page was tried (the fallback is not a summarizer that never fetches), except where the guard refused it.
    expect(env.fake.requestCount(path)).toBe(path === '/a/private' ? 0 : 1);
  });

  it('keeps to the per-host budget: beyond it, summaries use the feed text without waiting', async () => {
    env.fake.route('/a/h1', { body: PAGE, headers: HTML });
    env.fake.route('/a/h2', { body: PAGE, headers: HTML });
    const polite = summarizer({ hostMaxFetches: 1 });
    expect((await polite.summarizeStory(await teaserStory('/a/h1'), [])).summarySource).toBe('article');
    expect((await polite.summarizeStory(await teaserStory('/a/h2'), [])).summarySource).toBe('feed');
    expect(env.fake.requestCount('/a/h2')).toBe(0);
  });

  it('never fetches hosts reserved for documentation (.example, .invalid)', async () => {
    const story = storyFromItem({ title: 'T', link: 'https://news.example/a/1', contentSnippet: TEASER }, 'url:news.example/a/1', { id: 'f1', name: 'L' }, new Date());
    await env.runtime.ctx.stories.add(story);
    expect(await env.runtime.ctx.summaries.summarizeStory(story, [])).toMatchObject({ summary: TEASER, summarySource: 'feed' });
  });
});
