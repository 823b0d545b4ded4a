import { createHash } from 'node:crypto';
import { canonicalUrl, urlIdentity } from './canonical-url.js';

/** An item as the feed parser hands it over (see src/feeds/parse.ts). */
export interface FeedItem {
  title?: string;
  link?: string;
  guid?: string;
  isoDate?: string;
  content?: string;
  contentSnippet?: string;
  author?: string;
  categories?: string[];
  image?: string;
}

/** A stored story: one article, as first seen in one feed. */
export interface Story {
  /** Stable id derived from the identity (hex, 24 chars). */
  id: string;
  /** `url:<host/path?query>`, `guid:<guid>` or `hash:<sha of title+date>`. */
  identity: string;
  feedId: string;
  /** The feed's display name (the outlet). */
  source: string;
  title: string;
  /** Canonical article URL (tracking removed), when the item has one. */
  url?: string;
  /** The item's own link as published. */
  link?: string;
  guid?: string;
  /** Body as HTML, capped. */
  content?: string;
  /** Plain-text summary from the feed, capped. */
  snippet?: string;
  author?: string;
  categories: string[];
  image?: string;
  /** Publication time from the feed (ISO-8601), absent when the feed gave none or an unparseable one. */
  publishedAt?: string;
  /** When Newshound first stored it (ISO-8601). */
  firstSeenAt: string;
  /**
   * The story's language: the feed's declared language when stored, replaced by the detected
   * ISO 639-1 code once the story is summarized.
   */
  language?: string;
  /**
   * 2-3 sentences (≤ 400 characters) in the story's language, written by the match worker before
   * any alert is queued; absent for stories no subscription matched (cards then clip `snippet`).
   */
  summary?: string;
  /** Where `summary` came from: the article page, the feed's own text, or a language model. */
  summarySource?: 'article' | 'feed' | 'model';
}

/** Caps that keep one story's record small in Redis. */
export const STORY_CONTENT_MAX_CHARS = 20_000;
export const STORY_SNIPPET_MAX_CHARS = 2_000;
export const STORY_TITLE_MAX_CHARS = 1_000;

function sha(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Story id for an identity string. */
export function storyIdFor(identity: string): string {
  return sha(identity, 24);
}

type IdentityLevel = 'url' | 'guid' | 'hash';

function identityAt(item: FeedItem, level: IdentityLevel): string | undefined {
  switch (level) {
    case 'url': {
      const canonical = canonicalUrl(item.link);
      return canonical === undefined ? undefined : `url:${urlIdentity(canonical)}`;
    }
    case 'guid': {
      const guid = item.guid?.trim();
      if (guid === undefined || guid === '') return undefined;
      // A GUID that is a URL is compared like one (http→https, utm churn).
      const canonical = canonicalUrl(guid);
      return canonical === undefined ? `guid:${guid}` : `url:${urlIdentity(canonical)}`;
    }
    case 'hash':
      return `hash:${sha(`${(item.title ?? '').trim()}\n${item.isoDate ?? ''}`, 32)}`;
  }
}

const LEVELS: IdentityLevel[] = ['url', 'guid', 'hash'];

/**
 * Story identity for every item of one poll: canonical URL, else GUID, else a hash of the
 * title and date. When several items of one poll share an identity but differ in title (feeds
 * that point every item at the home page, or reuse one GUID), those items move down to the
 * next level, so a genuinely new item is never hidden behind another one's identity.
 */
export function identitiesFor(items: FeedItem[]): string[] {
  const levelOf = items.map(() => 0);
  for (;;) {
    const ids = items.map((item, i) => {
      for (let l = levelOf[i]!; l < LEVELS.length; l++) {
        const id = identityAt(item, LEVELS[l]!);
        if (id !== undefined) {
          levelOf[i] = l;
          return id;
        }
      }
      return `hash:${sha(JSON.stringify(item), 32)}`;
    });
    const titlesById = new Map<string, Set<string>>();
    ids.forEach((id, i) => {
      const set = titlesById.get(id) ?? new Set<string>();
      set.add((items[i]!.title ?? '').trim());
      titlesById.set(id, set);
    });
    let moved = false;
    ids.forEach((id, i) => {
      if ((titlesById.get(id)?.size ?? 0) > 1 && levelOf[i]! < LEVELS.length - 1) {
        levelOf[i]! += 1;
        moved = true;
      }
    });
    if (!moved) return ids;
  }
}

function cap(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === '') return undefined;
  return t.length > max ? t.slice(0, max) : t;
}

/** Drops keys whose value is undefined, so stored JSON stays small and exact. */
function definedOnly<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Builds the stored story for a parsed item. */
export function storyFromItem(
  item: FeedItem,
  identity: string,
  feed: { id: string; name: string; language?: string },
  now: Date,
): Story {
  const url = canonicalUrl(item.link) ?? canonicalUrl(item.guid);
  const title = cap(item.title, STORY_TITLE_MAX_CHARS) ?? cap(item.contentSnippet, 120) ?? '(untitled)';
  return {
    id: storyIdFor(identity),
    identity,
    feedId: feed.id,
    source: feed.name,
    title,
    categories: (item.categories ?? []).map((c) => c.trim()).filter((c) => c !== '').slice(0, 20),
    firstSeenAt: now.toISOString(),
    ...definedOnly({
      url,
      link: cap(item.link, 2048),
      guid: cap(item.guid, 2048),
      content: cap(item.content, STORY_CONTENT_MAX_CHARS),
      snippet: cap(item.contentSnippet, STORY_SNIPPET_MAX_CHARS),
      author: cap(item.author, 200),
      image: item.image,
      publishedAt: item.isoDate,
      language: feed.language,
    }),
  };
}

/**
 * Whether a newly seen story may alert: anything older than the age limit never does. Stories
 * without a date are judged by when they were first seen (they are new to this feed).
 */
export function isFreshEnough(story: Story, now: Date, maxAgeHours: number): boolean {
  if (story.publishedAt === undefined) return true;
  const published = Date.parse(story.publishedAt);
  if (Number.isNaN(published)) return true;
  return now.getTime() - published <= maxAgeHours * 3_600_000;
}
