/**
 * F5 probe, run as its own process (`node --import tsx hostile-parse.ts <attack>`), so its peak
 * resident memory belongs to one parse: builds the hostile document, takes the process's peak RSS,
 * parses, and prints `{ attack, ms, peakRssIncreaseMb, items }` as JSON.
 */
import { pathToFileURL } from 'node:url';
import { parseFeed } from '../../../src/feeds/parse.js';

export const ATTACKS = ['billion-laughs', 'quadratic-blowup', 'external-file-entity', 'external-http-entity', 'numeric-references-10mb', 'numeric-references-5mib', 'nested-100k'] as const;
export type Attack = (typeof ATTACKS)[number];

function document(attack: Attack, canaryUrl: string): string {
  switch (attack) {
    case 'billion-laughs': {
      const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`);
      return `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">${levels.join('')}]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`;
    }
    case 'quadratic-blowup':
      return `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "${'x'.repeat(50_000)}">]><rss version="2.0"><channel><title>${'&big;'.repeat(10_000)}</title></channel></rss>`;
    case 'external-file-entity':
      return `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY passwd SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&passwd;</title><item><title>&passwd;</title></item></channel></rss>`;
    case 'external-http-entity':
      return `<?xml version="1.0"?><!DOCTYPE rss SYSTEM "${canaryUrl}/rss.dtd" [<!ENTITY % remote SYSTEM "${canaryUrl}/remote.dtd"> %remote; <!ENTITY ext SYSTEM "${canaryUrl}/e.txt">]><rss version="2.0"><channel><title>&ext;</title></channel></rss>`;
    case 'numeric-references-10mb':
      return `<rss version="2.0"><channel><title>x</title><item><title>${'&#65;'.repeat(2_000_000)}</title></item></channel></rss>`;
    case 'numeric-references-5mib':
      // The largest body the fetcher lets through (FEED_MAX_BODY_BYTES).
      return `<rss version="2.0"><channel><title>x</title><item><title>${'&#65;'.repeat(1_048_500)}</title></item></channel></rss>`;
    case 'nested-100k':
      return `<rss version="2.0"><channel><item><title>deep</title><description>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}</description></item></channel></rss>`;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const [attack, canaryUrl = 'http://127.0.0.1:9'] = process.argv.slice(2) as [Attack, string?];
if (isEntry && ATTACKS.includes(attack)) {
  const body = Buffer.from(document(attack, canaryUrl), 'utf8');
  const before = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  // A refused document (FeedParseError) is as good an answer as a parse: items -1, no output.
  const feed = await parseFeed(body).catch(() => undefined);
  const ms = performance.now() - t0;
  const peakRssIncreaseMb = (process.resourceUsage().maxRSS - before) / 1024;
  const items = feed?.items.length ?? -1;
  const output = feed === undefined ? '' : JSON.stringify(feed);
  process.stdout.write(`${JSON.stringify({ attack, ms, peakRssIncreaseMb, items, leaked: output.includes('root:') })}\n`);
}
