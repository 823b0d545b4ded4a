import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeFeeds } from '../fakes/fake-feeds.js';
import type { FakeSlackMessage } from '../fakes/fake-slack.js';
import { items, rss } from './rss.js';

/** A German agency lead, as in the product story (DESIGN.md). */
export const GERMAN_LEAD =
  'Microsoft hat Gespräche über eine Übernahme des US-Geschäfts der Video-App TikTok bestätigt. Der Konzern wolle die Verhandlungen bis spätestens 15. September abschließen, teilte Microsoft am Sonntag mit.';

/** Two German outlets on the fake feed server, polled every second, listed in a FEEDS_FILE. */
export function germanOutlets(feeds: FakeFeeds, prefix: string): { feedsFile: string; paths: [string, string]; publish(outlet: 'a' | 'b'): void } {
  const now = new Date();
  const a = `/${prefix}-a.xml`;
  const b = `/${prefix}-b.xml`;
  feeds.setFeed(a, rss('Agentur A', items(`${prefix}a`, 3, now)));
  feeds.setFeed(b, rss('Zeitung B', items(`${prefix}b`, 3, now)));
  const feedsFile = join(mkdtempSync(join(tmpdir(), 'nh-slack-')), 'feeds.json');
  writeFileSync(
    feedsFile,
    JSON.stringify([
      { url: feeds.url(a), name: 'Agentur A', language: 'de', intervalSeconds: 1 },
      { url: feeds.url(b), name: 'Zeitung B', language: 'de', intervalSeconds: 1 },
    ]),
  );
  return {
    feedsFile,
    paths: [a, b],
    publish(outlet) {
      const at = new Date();
      if (outlet === 'a') {
        feeds.setFeed(a, rss('Agentur A', [{ title: 'Microsoft bestätigt Interesse an TikTok', link: `https://a.example/${prefix}/tiktok?utm_source=rss`, pubDate: at, description: GERMAN_LEAD }, ...items(`${prefix}a`, 3, now)]));
      } else {
        feeds.setFeed(b, rss('Zeitung B', [{ title: 'TikTok: Microsoft will US-Geschäft kaufen', link: `https://b.example/${prefix}/kauf`, pubDate: at, description: GERMAN_LEAD }, ...items(`${prefix}b`, 3, now)]));
      }
    },
  };
}

/** Every `text` in a message's blocks, joined: what a reader sees. */
export function blockText(message: Pick<FakeSlackMessage, 'blocks'> | { blocks?: unknown }): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(message.blocks);
  return out.join('\n');
}
