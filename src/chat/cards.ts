import type { Story } from '../core/story.js';
import type { StoryCard } from './reply.js';

/** Summaries in cards stop near this length, at a word boundary. */
export const CARD_SUMMARY_MAX_CHARS = 400;

/** Cuts text at a word boundary at or before `max` characters, adding an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  let end = max - 1;
  // Never split a surrogate pair (an emoji cut in half is invalid text).
  if (end > 0 && /[\uD800-\uDBFF]/.test(t.charAt(end - 1))) end--;
  const cut = t.slice(0, end);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

/** The card for a stored story. */
export function storyCard(story: Story, extra: { terms?: string[]; alsoReportedBy?: string[] } = {}): StoryCard {
  const card: StoryCard = { title: story.title, source: story.source };
  const url = story.link ?? story.url;
  if (url) card.url = url;
  if (story.publishedAt ?? story.firstSeenAt) card.publishedAt = story.publishedAt ?? story.firstSeenAt;
  // The summary written at match time (2-3 sentences, ≤ 400 chars) wins; stories no topic
  // matched have none, and show the feed's description clipped.
  if (story.summary) card.summary = clip(story.summary, CARD_SUMMARY_MAX_CHARS);
  else if (story.snippet) card.summary = clip(story.snippet, CARD_SUMMARY_MAX_CHARS);
  if (story.image) card.image = story.image;
  if (extra.terms?.length) card.matchedTerms = extra.terms;
  if (extra.alsoReportedBy?.length) card.alsoReportedBy = extra.alsoReportedBy;
  return card;
}
