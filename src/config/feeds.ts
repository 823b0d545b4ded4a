import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { feedIdFor, type FeedDefinition } from '../core/feed.js';
import { validateFeedUrl } from '../feeds/address-guard.js';
import { DEFAULT_CATALOG } from './catalog.js';

const feedEntry = z
  .object({
    url: z.string().min(1),
    name: z.string().trim().min(1).max(200).optional(),
    language: z.string().trim().min(2).max(16).optional(),
    intervalSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();

const feedsFileSchema = z.array(feedEntry);

/** A FEEDS_FILE that cannot be used; the message says which entry and why. */
export class FeedsFileError extends Error {
  override name = 'FeedsFileError';
}

function toDefinition(entry: z.output<typeof feedEntry>, defaultIntervalSeconds: number, where: string): FeedDefinition {
  let url: URL;
  try {
    url = validateFeedUrl(entry.url);
  } catch (err) {
    throw new FeedsFileError(`${where}: ${err instanceof Error ? err.message : 'invalid url'}`);
  }
  const def: FeedDefinition = {
    id: feedIdFor(url.href),
    url: url.href,
    name: entry.name ?? url.hostname,
    intervalSeconds: entry.intervalSeconds ?? defaultIntervalSeconds,
  };
  if (entry.language !== undefined) def.language = entry.language;
  return def;
}

/** Parses the text of a FEEDS_FILE (JSON or YAML: a list of `{url, name?, language?, intervalSeconds?}`). */
export function parseFeedsFile(text: string, defaultIntervalSeconds: number): FeedDefinition[] {
  let raw: unknown;
  try {
    raw = parseYaml(text); // YAML is a superset of JSON
  } catch (err) {
    throw new FeedsFileError(`not valid JSON or YAML: ${err instanceof Error ? err.message.split('\n')[0] : ''}`);
  }
  // Either a bare list or `{feeds: [...]}`.
  const list = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'feeds' in raw ? raw.feeds : raw;
  const parsed = feedsFileSchema.safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new FeedsFileError(
      `expected a list of {url, name?, language?, intervalSeconds?}; problem at ${path || 'the top level'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const defs = parsed.data.map((e, i) => toDefinition(e, defaultIntervalSeconds, `entry ${i + 1}`));
  const byId = new Map(defs.map((d) => [d.id, d]));
  return [...byId.values()];
}

/** The operator's feeds: FEEDS_FILE when set, else the built-in catalog. */
export async function loadOperatorFeeds(feedsFile: string | undefined, defaultIntervalSeconds: number): Promise<FeedDefinition[]> {
  if (feedsFile === undefined) {
    return DEFAULT_CATALOG.map((f) => ({
      id: feedIdFor(new URL(f.url).href),
      url: new URL(f.url).href,
      name: f.name,
      language: f.language,
      intervalSeconds: defaultIntervalSeconds,
    }));
  }
  let text: string;
  try {
    text = await readFile(feedsFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new FeedsFileError(`FEEDS_FILE cannot be read (${code})`);
  }
  try {
    return parseFeedsFile(text, defaultIntervalSeconds);
  } catch (err) {
    if (err instanceof FeedsFileError) throw new FeedsFileError(`FEEDS_FILE ${err.message}`);
    throw err;
  }
}
