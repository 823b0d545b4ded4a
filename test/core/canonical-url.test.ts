import { describe, expect, it } from 'vitest';
import { canonicalUrl, urlIdentity } from '../../src/core/canonical-url.js';

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://Example.COM/News/A?utm_source=rss&utm_medium=feed#top', 'https://example.com/News/A'],
    ['https://example.com:443/a?b=2&a=1', 'https://example.com/a?a=1&b=2'],
    ['https://example.com/a?id=7&fbclid=xyz&gclid=1', 'https://example.com/a?id=7'],
    ['https://www.lemonde.fr/a.html?xtor=RSS-3208', 'https://www.lemonde.fr/a.html'],
    ['https://user:pw@example.com/a', 'https://example.com/a'],
    ['  https://example.com/a  ', 'https://example.com/a'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it.each([undefined, '', 'not a url', 'mailto:a@b.c', 'ftp://example.com/x', '/relative/path'])(
    'gives nothing for %j',
    (input) => {
      expect(canonicalUrl(input)).toBeUndefined();
    },
  );
});

describe('urlIdentity', () => {
  it('treats http and https, www and a trailing slash as the same story', () => {
    const a = urlIdentity(canonicalUrl('http://www.example.com/story/1/')!);
    const b = urlIdentity(canonicalUrl('https://example.com/story/1?utm_campaign=x')!);
    expect(a).toBe(b);
  });

  it('keeps parameters that select the article', () => {
    expect(urlIdentity(canonicalUrl('https://example.com/a?id=1')!)).not.toBe(
      urlIdentity(canonicalUrl('https://example.com/a?id=2')!),
    );
  });
});
