import { htmlToText } from '../core/html-text.js';
import type { Story } from '../core/story.js';
import { clipAtWord } from '../core/summary/clip.js';
import { SUMMARY_MAX_CHARS } from '../core/summary/limits.js';
import type { Summary } from '../core/summary/summarize.js';
import type { Logger } from '../log.js';
import type { StoryStore } from '../storage/story-store.js';
import type { ArticleSource } from './article-fetch.js';
import { ModelSummaryError, type ModelSummarizer } from './article-llm.js';
import { isWebUrl } from './urls.js';

/**
 * The summary a matched story carries in its alerts: from the article page when the feed gives
 * only a teaser, else from the feed's text; by a language model when one is configured and its
 * answer passes the checks, else extractive. Every failure falls back a step, never to nothing
 * while the story has any text. The result is written onto the stored story.
 */

/** Feed text shorter than this is a teaser: the article page is fetched for the summary. */
export const TEASER_MAX_CHARS = 700;

/** Summarizes matched stories and stores the summary on them. */
export interface StorySummarizer {
  /**
   * Summarizes `story` (preferring sentences with the matched `terms`), stores `summary`,
   * `summarySource` and the detected `language` on it, and returns the updated story. A story
   * that already has a summary is returned as it is.
   */
  summarizeStory(story: Story, terms: readonly string[], signal?: AbortSignal): Promise<Story>;
}

export interface StorySummarizerDeps {
  stories: Pick<StoryStore, 'setSummary'>;
  log: Logger;
  /** Absent when SUMMARY_FETCH_ARTICLES is off. */
  articles?: ArticleSource;
  /** Absent unless SUMMARY_LLM_URL and SUMMARY_LLM_MODEL are set. */
  model?: ModelSummarizer;
}

/** The richer of the feed's body (HTML) and its plain-text summary. */
export function feedTextOf(story: Story): string {
  const body = story.content !== undefined ? htmlToText(story.content) : '';
  const snippet = story.snippet ?? '';
  return body.length >= snippet.length ? body : snippet;
}

async function loadSummarizer() {
  const [{ summarize }, { primaryLanguage }] = await Promise.all([import('../core/summary/summarize.js'), import('../core/summary/language.js')]);
  return { summarize, primaryLanguage };
}

/** Creates the summarizer the match worker uses. */
export function createStorySummarizer(deps: StorySummarizerDeps): StorySummarizer {
  async function articleText(story: Story, feedText: string, signal?: AbortSignal): Promise<string | undefined> {
    const url = story.link ?? story.url;
    if (deps.articles === undefined || feedText.length >= TEASER_MAX_CHARS || url === undefined || !isWebUrl(url)) return undefined;
    try {
      const article = await deps.articles.get(url, signal);
      if (!article.ok) {
        deps.log.debug({ storyId: story.id, reason: article.reason }, 'summary from feed text: no article text');
        return undefined;
      }
      return article.text.length > feedText.length ? article.text : undefined;
    } catch (err) {
      if (signal?.aborted === true) throw err;
      deps.log.warn({ storyId: story.id, err: err instanceof Error ? err.message : String(err) }, 'article fetch failed; summary from feed text');
      return undefined;
    }
  }

  return {
    async summarizeStory(story, terms, signal) {
      if (story.summary !== undefined) return story;
      // Loaded on first use: the language tables cost ~30 MB, which processes that never
      // summarize (a bot-only or scheduler-only role) should not pay.
      const { summarize, primaryLanguage } = await loadSummarizer();
      const feedText = feedTextOf(story);
      const article = await articleText(story, feedText, signal);
      const input = { title: story.title, languageHint: primaryLanguage(story.language), terms };
      let extractive: Summary | undefined;
      let source: NonNullable<Story['summarySource']> = 'feed';
      if (article !== undefined) {
        extractive = summarize({ ...input, text: article });
        if (extractive !== undefined) source = 'article';
      }
      extractive ??= summarize({ ...input, text: feedText });
      let text = extractive?.text;
      // Never nothing: a feed text without a usable sentence is shown clipped, as before summaries.
      if (text === undefined && feedText.trim() !== '') text = clipAtWord(feedText, SUMMARY_MAX_CHARS);
      if (text === undefined) return story;
      const language = extractive?.language ?? primaryLanguage(story.language);

      if (deps.model !== undefined) {
        try {
          text = await deps.model.summarize({ title: story.title, text: article ?? feedText, language }, signal);
          source = 'model';
        } catch (err) {
          if (signal?.aborted === true) throw err;
          const reason = err instanceof ModelSummaryError ? err.reason : 'error';
          deps.log.warn({ storyId: story.id, reason }, 'model summary not used; extractive summary instead');
        }
      }
      const updated: Story = { ...story, summary: text, summarySource: source };
      if (language !== undefined) updated.language = language;
      await deps.stories.setSummary(story.id, { summary: text, summarySource: source, language: updated.language });
      return updated;
    },
  };
}
