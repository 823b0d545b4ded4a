import { readFile } from 'node:fs/promises';
import type { Config } from '../config/env.js';
import { validateFeedUrl } from '../feeds/address-guard.js';
import { createFeedFetcher, FetchError } from '../feeds/fetch.js';
import { FeedParseError, parseFeed, type NormalizedFeed } from '../feeds/parse.js';
import { readStdinBytes } from './stdin.js';

export interface FeedTestArgs {
  source: string;
  contentType?: string;
  json: boolean;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The stable machine-readable shape of `feed test --json` (DESIGN.md). */
function toJsonShape(feed: NormalizedFeed): unknown {
  return {
    title: feed.title,
    link: feed.link,
    items: feed.items.map((i) => ({
      title: i.title,
      link: i.link,
      guid: i.guid,
      isoDate: i.isoDate,
      content: i.content,
      contentSnippet: i.contentSnippet,
      author: i.author,
      categories: i.categories ?? [],
    })),
  };
}

function human(feed: NormalizedFeed, origin: string): string {
  const lines = [`${feed.title ?? '(no title)'}  ${feed.link ?? ''}`.trim(), `${origin}: ${feed.items.length} items`];
  for (const item of feed.items) {
    lines.push('');
    lines.push(`- ${item.title ?? '(no title)'}`);
    lines.push(`  ${item.isoDate ?? 'no date'}  ${item.link ?? '(no link)'}`);
    if (item.categories?.length) lines.push(`  categories: ${item.categories.join(', ')}`);
    if (item.contentSnippet) {
      const s = item.contentSnippet.replace(/\s+/g, ' ');
      lines.push(`  ${s.length > 160 ? `${s.slice(0, 159)}…` : s}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `newshound feed test <url|file|->`: fetches (through the same fetcher and SSRF guard as the
 * workers) or reads a feed, parses it and prints the normalized result. Exit code 0 on success,
 * 1 when the feed cannot be fetched or parsed.
 */
export async function feedTest(args: FeedTestArgs, config: Pick<Config, 'FEED_ALLOW_PRIVATE_HOSTS'>, io: CliIo): Promise<number> {
  let bytes: Uint8Array;
  let contentType = args.contentType;
  let baseUrl: string | undefined;
  let origin: string;
  try {
    if (args.source === '-') {
      bytes = await readStdinBytes(io.stdin);
      origin = 'stdin';
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(args.source) && !/^[a-z]:[\\/]/i.test(args.source)) {
      const url = validateFeedUrl(args.source);
      const fetcher = createFeedFetcher({ allowList: config.FEED_ALLOW_PRIVATE_HOSTS });
      try {
        const res = await fetcher.fetch(url.href);
        if (res.kind !== 'ok') throw new Error('unexpected 304 without a conditional request');
        bytes = res.body;
        contentType ??= res.contentType;
        baseUrl = res.finalUrl;
        origin = `${res.finalUrl} (HTTP ${res.status}${res.redirects ? `, ${res.redirects} redirects` : ''})`;
      } finally {
        await fetcher.close();
      }
    } else {
      bytes = await readFile(args.source);
      origin = args.source;
    }
  } catch (err) {
    const what = err instanceof FetchError ? `cannot fetch feed (${err.kind}): ${err.message}` : `cannot read feed: ${err instanceof Error ? err.message : String(err)}`;
    io.stderr(`${what}\n`);
    return 1;
  }
  try {
    const feed = await parseFeed(bytes, { contentType, baseUrl });
    io.stdout(args.json ? `${JSON.stringify(toJsonShape(feed))}\n` : human(feed, origin));
    return 0;
  } catch (err) {
    const what = err instanceof FeedParseError ? err.message : err instanceof Error ? err.message : String(err);
    io.stderr(`not a usable feed: ${what}\n`);
    return 1;
  }
}
