import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../src/config/catalog.js';
import { FeedsFileError, loadOperatorFeeds, parseFeedsFile } from '../../src/config/feeds.js';

describe('parseFeedsFile', () => {
  it('reads a JSON list with defaults for missing fields', () => {
    const feeds = parseFeedsFile(
      JSON.stringify([{ url: 'https://example.com/rss', name: 'Example' }, { url: 'https://other.example/feed', intervalSeconds: 1 }]),
      300,
    );
    expect(feeds).toEqual([
      { id: expect.any(String), url: 'https://example.com/rss', name: 'Example', intervalSeconds: 300 },
      { id: expect.any(String), url: 'https://other.example/feed', name: 'other.example', intervalSeconds: 1 },
    ]);
  });

  it('reads YAML, also under a `feeds:` key', () => {
    const feeds = parseFeedsFile('feeds:\n  - url: https://example.com/rss\n    language: de\n', 60);
    expect(feeds[0]).toMatchObject({ url: 'https://example.com/rss', language: 'de', intervalSeconds: 60 });
  });

  it('lists one URL once', () => {
    expect(parseFeedsFile('[{"url":"https://example.com/rss"},{"url":"https://example.com/rss"}]', 60)).toHaveLength(1);
  });

  it.each([
    ['{not json', /not valid JSON or YAML/],
    ['[{"name":"no url"}]', /problem at 0\.url/],
    ['[{"url":"ftp://example.com/x"}]', /entry 1: .*http/],
    ['[{"url":"https://example.com","intervalSeconds":0}]', /intervalSeconds/],
    ['[{"url":"https://example.com","colour":"red"}]', /problem at/],
  ])('refuses %s with a message that says where', (text, message) => {
    expect(() => parseFeedsFile(text, 60)).toThrow(FeedsFileError);
    expect(() => parseFeedsFile(text, 60)).toThrow(message);
  });
});

describe('loadOperatorFeeds', () => {
  it('uses the built-in catalog of about 30 English and German feeds without FEEDS_FILE', async () => {
    const feeds = await loadOperatorFeeds(undefined, 300);
    expect(feeds.length).toBe(DEFAULT_CATALOG.length);
    expect(feeds.length).toBeGreaterThanOrEqual(28);
    expect(new Set(feeds.map((f) => f.language))).toEqual(new Set(['en', 'de']));
    expect(new Set(feeds.map((f) => f.id)).size).toBe(feeds.length);
  });

  it('reads FEEDS_FILE from disk and reports a missing file clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nh-feeds-'));
    const path = join(dir, 'feeds.yaml');
    writeFileSync(path, '- url: https://example.com/rss\n');
    expect(await loadOperatorFeeds(path, 30)).toHaveLength(1);
    await expect(loadOperatorFeeds(join(dir, 'missing.yaml'), 30)).rejects.toThrow(/FEEDS_FILE cannot be read \(ENOENT\)/);
  });
});
