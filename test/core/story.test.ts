import { describe, expect, it } from 'vitest';
import { identitiesFor, isFreshEnough, storyFromItem, storyIdFor } from '../../src/core/story.js';

describe('identitiesFor', () => {
  it('uses the canonical URL first, ignoring tracking parameters', () => {
    const [a, b] = identitiesFor([
      { title: 'A', link: 'https://example.com/a?utm_source=rss', guid: 'g1' },
      { title: 'B', link: 'https://example.com/b', guid: 'g2' },
    ]);
    expect(a).toBe(identitiesFor([{ title: 'A', link: 'https://example.com/a', guid: 'other' }])[0]);
    expect(a).not.toBe(b);
  });

  it('falls back to the GUID, then to a hash of title and date', () => {
    const [byGuid, byHash] = identitiesFor([
      { title: 'A', guid: 'tag:example.com,2024:1' },
      { title: 'B', isoDate: '2024-01-01T00:00:00.000Z' },
    ]);
    expect(byGuid).toBe('guid:tag:example.com,2024:1');
    expect(byHash).toMatch(/^hash:/);
  });

  it('compares a URL-shaped GUID like a URL (http→https moves keep the identity)', () => {
    const [a] = identitiesFor([{ title: 'A', guid: 'http://example.com/a' }]);
    const [b] = identitiesFor([{ title: 'A', guid: 'https://example.com/a' }]);
    expect(a).toBe(b);
  });

  it('does not hide new items behind a link that every item shares', () => {
    const ids = identitiesFor([
      { title: 'First', link: 'https://example.com/', guid: 'g1' },
      { title: 'Second', link: 'https://example.com/', guid: 'g2' },
      { title: 'Third', link: 'https://example.com/', guid: 'g2' },
    ]);
    expect(new Set(ids).size).toBe(3);
  });

  it('keeps one identity for the same item listed twice', () => {
    const ids = identitiesFor([
      { title: 'Same', link: 'https://example.com/a' },
      { title: 'Same', link: 'https://example.com/a' },
    ]);
    expect(ids[0]).toBe(ids[1]);
  });
});

describe('storyFromItem', () => {
  const feed = { id: 'f1', name: 'Example News', language: 'de' };
  const now = new Date('2025-03-01T12:00:00Z');

  it('builds a story with a stable id and the canonical URL', () => {
    const story = storyFromItem(
      { title: ' Tiktok ', link: 'https://example.com/a?utm_medium=rss', categories: ['Tech', ' '], isoDate: '2025-03-01T10:00:00.000Z' },
      'url:example.com/a',
      feed,
      now,
    );
    expect(story).toMatchObject({
      id: storyIdFor('url:example.com/a'),
      title: 'Tiktok',
      url: 'https://example.com/a',
      source: 'Example News',
      categories: ['Tech'],
      language: 'de',
      publishedAt: '2025-03-01T10:00:00.000Z',
      firstSeenAt: '2025-03-01T12:00:00.000Z',
    });
    expect(Object.values(story)).not.toContain(undefined);
  });

  it('caps huge bodies', () => {
    const story = storyFromItem({ title: 't', content: 'x'.repeat(100_000) }, 'hash:1', feed, now);
    expect(story.content!.length).toBe(20_000);
  });
});

describe('isFreshEnough', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const base = storyFromItem({ title: 't' }, 'hash:x', { id: 'f', name: 'n' }, now);

  it.each([
    ['2025-03-01T11:00:00Z', true],
    ['2025-02-27T12:00:01Z', true],
    ['2025-02-27T11:59:59Z', false],
    ['2020-01-01T00:00:00Z', false],
    [undefined, true],
  ])('published %s → %s with a 48 h limit', (publishedAt, expected) => {
    expect(isFreshEnough({ ...base, publishedAt }, now, 48)).toBe(expected);
  });
});
