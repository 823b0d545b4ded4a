/** Builds small RSS 2.0 documents for tests. */
export interface TestItem {
  title: string;
  link?: string;
  guid?: string;
  pubDate?: Date;
  description?: string;
  categories?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rss(title: string, items: TestItem[], extra = ''): string {
  const body = items
    .map((i) =>
      [
        '<item>',
        `<title>${esc(i.title)}</title>`,
        i.link ? `<link>${esc(i.link)}</link>` : '',
        i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : '',
        i.pubDate ? `<pubDate>${i.pubDate.toUTCString()}</pubDate>` : '',
        i.description ? `<description>${esc(i.description)}</description>` : '',
        ...(i.categories ?? []).map((c) => `<category>${esc(c)}</category>`),
        '</item>',
      ].join(''),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.com/</link>${extra}\n${body}\n</channel></rss>\n`;
}

/** `n` items with distinct links, dated `hoursAgo` before `now`. */
export function items(prefix: string, n: number, now: Date, hoursAgo = 1): TestItem[] {
  return Array.from({ length: n }, (_, i) => ({
    title: `${prefix} story ${i + 1}`,
    link: `https://news.example/${prefix}/${i + 1}`,
    guid: `${prefix}-${i + 1}`,
    pubDate: new Date(now.getTime() - hoursAgo * 3_600_000 - i * 60_000),
    description: `Lead text of ${prefix} story ${i + 1}.`,
  }));
}
