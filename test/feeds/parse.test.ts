import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed, type NormalizedFeed } from '../../src/feeds/parse.js';

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));
}

function rss(items: string, channel = '<title>T</title>'): string {
  return `<rss version="2.0"><channel>${channel}${items}</channel></rss>`;
}

const GERMAN_TITLE = 'Microsoft bestätigt Interesse an Tiktok';
const GERMAN_BODY = 'Über die Übernahme wird seit Wochen geredet: Größe zählt, sagt Müller.';

function germanFeed(declaration: string): string {
  return `${declaration}<rss version="2.0"><channel><title>Nachrichten für Österreich</title>
<item><title>${GERMAN_TITLE}</title><description>${GERMAN_BODY}</description></item></channel></rss>`;
}

function expectGerman(feed: NormalizedFeed): void {
  expect(feed.title).toBe('Nachrichten für Österreich');
  expect(feed.items[0]?.title).toBe(GERMAN_TITLE);
  expect(feed.items[0]?.contentSnippet).toBe(GERMAN_BODY);
}

describe('parseFeed on RSS 2.0', () => {
  it('normalizes channel and item fields', async () => {
    const feed = await parseFeed(fixture('rss2-full.xml'));
    expect(feed).toMatchObject({ title: 'Example News', link: 'https://news.example.com/', language: 'en-gb', ttlMinutes: 15 });
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0]).toEqual({
      title: 'Microsoft confirms interest in TikTok',
      link: 'https://news.example.com/tech/tiktok',
      guid: 'news-1001',
      isoDate: '2020-08-02T19:15:00.000Z',
      content: '<p>The company is in <b>talks</b> with ByteDance.</p><p><img src="https://news.example.com/images/tiktok.jpg" alt=""> More to follow.</p>',
      contentSnippet: 'The company is in talks with ByteDance.',
      author: 'Jane Reporter',
      categories: ['Technology', 'Business'],
      image: 'https://news.example.com/images/tiktok.jpg',
    });
  });

  it('uses a permalink guid as the link and keeps the raw RSS author', async () => {
    const item = (await parseFeed(fixture('rss2-full.xml'))).items[1];
    expect(item).toMatchObject({
      link: 'https://news.example.com/world/second',
      guid: 'https://news.example.com/world/second',
      author: 'desk@example.com (World Desk)',
      content: 'Plain description &amp; more',
      contentSnippet: 'Plain description & more',
      image: 'https://cdn.example.com/second.jpg',
    });
  });

  it('resolves a relative link against the channel link and drops an unparseable date', async () => {
    const item = (await parseFeed(fixture('rss2-full.xml'))).items[2];
    expect(item?.link).toBe('https://news.example.com/local/third');
    expect(item?.isoDate).toBeUndefined();
    expect(item?.image).toBe('https://cdn.example.com/third-thumb.jpg');
  });

  it('does not use a guid that is not a permalink as the link', async () => {
    const feed = await parseFeed(Buffer.from(rss('<item><guid isPermaLink="false">https://example.com/a</guid></item>')));
    expect(feed.items[0]?.link).toBeUndefined();
    expect(feed.items[0]?.guid).toBe('https://example.com/a');
  });

  it('resolves relative links against baseUrl when the feed has no link', async () => {
    const feed = await parseFeed(Buffer.from(rss('<item><link>/a/b</link></item>')), { baseUrl: 'https://fetched.example.com/feed.xml' });
    expect(feed.items[0]?.link).toBe('https://fetched.example.com/a/b');
  });

  it('reads a feed whose <rss> has no version', async () => {
    const feed = await parseFeed(fixture('rss-no-version.xml'));
    expect(feed.title).toBe('No version attribute');
    expect(feed.items[0]?.link).toBe('http://noversion.example.com/1');
  });

  it('turns undeclared HTML entities and bare ampersands into text', async () => {
    const feed = await parseFeed(fixture('entities-and-ampersands.xml'));
    expect(feed.title).toBe('Café News — AT&T edition…');
    expect(feed.link).toBe('https://entities.example.com/?a=1&b=2');
    expect(feed.items[0]).toMatchObject({
      title: 'Tom & Jerry &doesnotexist; “quoted” A–',
      link: 'https://entities.example.com/story?id=1&lang=de',
      content: 'Grüße <b>aus</b> München',
      contentSnippet: 'Grüße aus München',
    });
  });

  it('recovers the items before a truncation, including an unterminated CDATA section', async () => {
    const feed = await parseFeed(fixture('truncated.xml'));
    expect(feed.title).toBe('Cut short');
    expect(feed.items.map((item) => item.title)).toEqual(['Complete item', 'Half an item']);
    expect(feed.items[1]?.contentSnippet).toBe('This body never ends');
  });

  it('accepts an XML declaration after a comment and whitespace', async () => {
    const feed = await parseFeed(fixture('declaration-after-comment.xml'));
    expect(feed.title).toBe('Late declaration');
    expect(feed.items).toHaveLength(1);
  });

  it('returns strings, never xml2js objects, for categories with attributes and markup in titles', async () => {
    const feed = await parseFeed(
      Buffer.from(rss('<item><title>Naked <b>markup</b></title><category domain="d">Tech</category><dc:subject>Tech</dc:subject></item>')),
    );
    expect(feed.items[0]?.title).toBe('Naked markup');
    expect(feed.items[0]?.categories).toEqual(['Tech']);
  });

  it('parses an empty feed to no items', async () => {
    expect((await parseFeed(fixture('empty-channel.xml'))).items).toEqual([]);
    expect((await parseFeed(Buffer.from('<rss version="2.0"></rss>'))).items).toEqual([]);
    expect((await parseFeed(Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"/>'))).items).toEqual([]);
  });
});

describe('parseFeed on Atom', () => {
  it('renders inline XHTML titles as plain text and resolves xml:base', async () => {
    const feed = await parseFeed(fixture('atom10-xhtml-base.xml'));
    expect(feed).toMatchObject({ title: 'Example Atom Blog', link: 'https://blog.example.org/', language: 'de' });
    expect(feed.items[0]).toEqual({
      title: 'Café culture',
      link: 'https://blog.example.org/posts/2024/cafe.html',
      guid: 'tag:blog.example.org,2024:cafe',
      isoDate: '2024-02-28T08:30:00.000Z',
      content: '<p>Coffee <img src="https://blog.example.org/posts/2024/img/cup.jpg"> and &lt;cake&gt;.</p>',
      contentSnippet: 'Why cafés & bakeries <matter>.',
      author: 'Anna Autorin',
      categories: ['food'],
      image: 'https://blog.example.org/posts/2024/img/cup.jpg',
    });
  });

  it('reads summary-only entries, date-only updates and the feed author', async () => {
    const item = (await parseFeed(fixture('atom10-xhtml-base.xml'))).items[1];
    expect(item).toMatchObject({
      link: 'https://elsewhere.example.net/story',
      isoDate: '2024-03-01T00:00:00.000Z',
      content: '<p>Only a <i>summary</i> here.</p>',
      contentSnippet: 'Only a summary here.',
      author: 'Feed Author',
    });
  });

  it('reads Atom 0.3 issued, modified and created dates, publication first', async () => {
    const feed = await parseFeed(fixture('atom03-dates.xml'));
    expect(feed.title).toBe('Atom 0.3');
    expect(feed.items.map((item) => item.isoDate)).toEqual([
      '2004-01-04T21:29:06.000Z',
      '2004-01-05T10:00:00.000Z',
      '2003-12-31T10:14:55.000Z',
    ]);
  });

  it('falls back to the update date when the publication date does not parse', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>
      <published>not a date</published><updated>2024-01-02T03:04:05Z</updated></entry></feed>`;
    expect((await parseFeed(Buffer.from(xml))).items[0]?.isoDate).toBe('2024-01-02T03:04:05.000Z');
  });

  it('escapes plain-text content so it can be used as HTML', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="text">1 &lt; 2 &amp; 3</content></entry></feed>`;
    const item = (await parseFeed(Buffer.from(xml))).items[0];
    expect(item?.content).toBe('1 &lt; 2 &amp; 3');
    expect(item?.contentSnippet).toBe('1 < 2 & 3');
  });
});

describe('parseFeed on RSS 1.0', () => {
  it('reads rdf:about, dc:date, dc:subject, dcterms and dc:language', async () => {
    const feed = await parseFeed(fixture('rdf-rss1.xml'));
    expect(feed).toMatchObject({ title: 'RDF Example', link: 'https://rdf.example.com/', language: 'de' });
    expect(feed.items[0]).toMatchObject({
      guid: 'https://rdf.example.com/a',
      isoDate: '2023-01-25T18:03:02.000Z',
      author: 'Achim Example',
      categories: ['Politik'],
      contentSnippet: 'Described in RDF.',
    });
    expect(feed.items[1]?.isoDate).toBe('2023-01-26T08:00:00.000Z');
  });
});

describe('parseFeed charsets', () => {
  it('keeps umlauts of an ISO-8859-1 feed declared in the XML declaration', async () => {
    expectGerman(await parseFeed(Buffer.from(germanFeed('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1')));
  });

  it('keeps umlauts of an ISO-8859-1 feed labelled only by the HTTP charset', async () => {
    const bytes = Buffer.from(germanFeed('<?xml version="1.0"?>'), 'latin1');
    expectGerman(await parseFeed(bytes, { contentType: 'application/rss+xml; charset=ISO-8859-1' }));
  });

  it('keeps umlauts of an unlabelled ISO-8859-1 feed', async () => {
    expectGerman(await parseFeed(Buffer.from(germanFeed(''), 'latin1')));
  });

  it('reads UTF-8 bytes under a wrong ISO-8859-1 label as UTF-8', async () => {
    expectGerman(await parseFeed(Buffer.from(germanFeed('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'utf8')));
  });

  it.each([
    ['UTF-16LE with BOM', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
    ['UTF-16BE with BOM', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()])],
    ['UTF-16LE without BOM', (t: string) => Buffer.from(t, 'utf16le')],
    ['UTF-16BE without BOM', (t: string) => Buffer.from(t, 'utf16le').swap16()],
  ])('reads %s', async (_name, encode) => {
    expectGerman(await parseFeed(encode(germanFeed('<?xml version="1.0" encoding="UTF-16"?>'))));
  });

  it('reads windows-1252 smart quotes', async () => {
    const text = rss('<item><description>This is a £“test.” – don’t</description></item>');
    const feed = await parseFeed(iconv.encode(text, 'windows-1252'), { contentType: 'text/xml; charset=windows-1252' });
    expect(feed.items[0]?.contentSnippet).toBe('This is a £“test.” – don’t');
  });

  it('reads C1 control characters as the windows-1252 characters they stand for', async () => {
    const feed = await parseFeed(Buffer.from(rss('<item><title>don\u0092t &#150; stop</title></item>'), 'utf8'));
    expect(feed.items[0]?.title).toBe('don’t – stop');
  });
});

describe('parseFeed on documents that are not feeds', () => {
  it.each([
    ['an HTML page', fixture('not-a-feed.html')],
    ['an empty body', Buffer.alloc(0)],
    ['whitespace', Buffer.from('  \n\t ')],
    ['a comment only', Buffer.from('<!-- nothing here -->')],
    ['JSON', Buffer.from('{"version":"https://jsonfeed.org/version/1.1","items":[{"content_html":"<p>x</p>"}]}')],
    ['plain text', Buffer.from('Service unavailable')],
    ['another XML vocabulary', Buffer.from('<?xml version="1.0"?><catalog><book>x</book></catalog>')],
  ])('throws FeedParseError for %s', async (_name, bytes) => {
    await expect(parseFeed(bytes)).rejects.toBeInstanceOf(FeedParseError);
  });

  it('says what the document is', async () => {
    await expect(parseFeed(fixture('not-a-feed.html'))).rejects.toThrow('HTML page');
    await expect(parseFeed(Buffer.from('[]'))).rejects.toThrow('JSON');
  });
});

describe('parseFeed repairs', () => {
  const atom = (entries: string): string => `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>${entries}</feed>`;

  it.each([
    ['items after </channel>', rss('', '<title>T</title></channel><item><title>late</title></item><channel>'), 'late'],
    ['unquoted attributes and a missing end tag', rss('<item><title>ok</title><guid isPermaLink=false>g</item>'), 'ok'],
    ['a mismatched end tag', rss('<item><title>ok</title><b>bold</i></item>'), 'ok'],
    ['upper-case element names', rss('<ITEM><TITLE>ok</TITLE></ITEM>'), 'ok'],
    ['an Atom default namespace on <rss>', '<rss xmlns="http://www.w3.org/2005/Atom"><channel><item><title>ok</title></item></channel></rss>', 'ok'],
    ['an Atom entry document', '<entry xmlns="http://www.w3.org/2005/Atom"><title>ok</title></entry>', 'ok'],
    ['stray control characters', rss('<item><title>o\u0001k\u000b</title></item>'), 'ok'],
  ])('reads %s', async (_name, xml, title) => {
    expect((await parseFeed(Buffer.from(xml))).items[0]?.title).toBe(title);
  });

  it('reads RSS 1.0 by namespace, not by prefix, so a foreign description is not the description', async () => {
    const xml = `<r:RDF xmlns:r="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:x="urn:x">
      <rss:channel><rss:title>T</rss:title></rss:channel>
      <rss:item r:about="urn:a"><rss:title>I</rss:title><x:description>wrong</x:description><rss:description>right</rss:description></rss:item></r:RDF>`;
    const feed = await parseFeed(Buffer.from(xml));
    expect(feed.title).toBe('T');
    expect(feed.items[0]).toMatchObject({ title: 'I', guid: 'urn:a', contentSnippet: 'right' });
  });

  it('decodes UTF-8 that was escaped byte by byte', async () => {
    const feed = await parseFeed(Buffer.from(rss('<item><title>&#226;&#128;&#166; and &acirc;&#128;&#147;</title></item>')));
    expect(feed.items[0]?.title).toBe('… and –');
  });

  it('decodes base64 Atom content', async () => {
    const encoded = Buffer.from('<p>Example <b>Atom</b></p>').toString('base64');
    const feed = await parseFeed(Buffer.from(atom(`<entry><content type="application/octet-stream">${encoded}</content></entry>`)));
    expect(feed.items[0]?.content).toBe('<p>Example <b>Atom</b></p>');
  });

  it('skips tracking pixels when picking an image from the content', async () => {
    const body = '&lt;img src="https://t.example.com/p.gif" width="1" height="1"&gt;&lt;img src="/photo.jpg"&gt;';
    const feed = await parseFeed(Buffer.from(rss(`<item><description>${body}</description></item>`, '<link>https://site.example.com/</link>')));
    expect(feed.items[0]?.image).toBe('https://site.example.com/photo.jpg');
  });

  it('deduplicates categories, reads term or label, and drops empty ones', async () => {
    const feed = await parseFeed(Buffer.from(atom('<entry><category term="a"/><category term=""/><category label="b"/><category term="a"/></entry>')));
    expect(feed.items[0]?.categories).toEqual(['a', 'b']);
  });
});
