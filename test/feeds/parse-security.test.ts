import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed, type NormalizedFeed } from '../../src/feeds/parse.js';

const TIME_LIMIT_MS = 1000;
const HEAP_LIMIT_BYTES = 300 * 1024 * 1024;

/** Parses within the time limit and either returns a feed or throws FeedParseError. */
async function parseHostile(xml: string): Promise<NormalizedFeed | FeedParseError> {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  let result: NormalizedFeed | FeedParseError;
  try {
    result = await parseFeed(Buffer.from(xml, 'utf8'));
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    result = error as FeedParseError;
  }
  expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(HEAP_LIMIT_BYTES);
  return result;
}

function feedOf(result: NormalizedFeed | FeedParseError): NormalizedFeed {
  if (result instanceof FeedParseError) throw result;
  return result;
}

describe('parseFeed on hostile documents', () => {
  it('does not expand billion laughs', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">${levels.join('')}]>
      <rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`;
    const feed = feedOf(await parseHostile(xml));
    expect(feed.title).toBe('&lol9;');
    expect(JSON.stringify(feed).length).toBeLessThan(1000);
  });

  it('does not expand a quadratic blowup (50 kB entity referenced 10k times)', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "${'x'.repeat(50_000)}">]>
      <rss version="2.0"><channel><title>${'&big;'.repeat(10_000)}</title></channel></rss>`;
    const feed = feedOf(await parseHostile(xml));
    expect(feed.title).not.toContain('xxxx');
    expect(feed.title?.length).toBe('&big;'.length * 10_000);
  });

  describe('with external entities', () => {
    let dir: string;
    let secretPath: string;
    const secret = `canary-${process.pid}-${Date.now()}`;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'newshound-xxe-'));
      secretPath = join(dir, 'secret.txt');
      writeFileSync(secretPath, secret);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('never reads a file named by an external entity', async () => {
      const url = pathToFileURL(secretPath).href;
      const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "${url}"><!ENTITY passwd SYSTEM "file:///etc/passwd">]>
        <rss version="2.0"><channel><title>&xxe;</title><item><title>&passwd;</title><description>&xxe;</description></item></channel></rss>`;
      const output = JSON.stringify(feedOf(await parseHostile(xml)));
      expect(output).not.toContain(secret);
      expect(output).not.toContain('root:');
    });

    it('never fetches an external entity or DTD over HTTP', async () => {
      let connections = 0;
      const server: Server = createServer((_req, res) => res.end('<!ENTITY leak "leaked">'));
      server.on('connection', () => {
        connections += 1;
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const base = `http://127.0.0.1:${port}`;
        const xml = `<?xml version="1.0"?><!DOCTYPE rss SYSTEM "${base}/rss.dtd" [
          <!ENTITY % remote SYSTEM "${base}/remote.dtd"> %remote;
          <!ENTITY ext SYSTEM "${base}/entity.txt">]>
          <rss version="2.0"><channel><title>&ext;&leak;</title></channel></rss>`;
        const output = JSON.stringify(feedOf(await parseHostile(xml)));
        expect(output).not.toContain('leaked');
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      expect(connections).toBe(0);
    });
  });

  it('handles 10 MB of numeric character references', async () => {
    const xml = `<rss version="2.0"><channel><title>x</title><item><title>${'&#65;'.repeat(2_000_000)}</title></item></channel></rss>`;
    expect(xml.length).toBeGreaterThan(10_000_000);
    const feed = feedOf(await parseHostile(xml));
    expect(feed.items[0]?.title?.length).toBe(2_000_000);
  });

  it('handles 100k nested elements inside an item', async () => {
    const xml = `<rss version="2.0"><channel><item><title>deep</title>${'<a>'.repeat(100_000)}x${'</a>'.repeat(100_000)}</item></channel></rss>`;
    expect(feedOf(await parseHostile(xml)).items[0]?.title).toBe('deep');
  });

  it('handles 100k nested elements inside a description', async () => {
    const xml = `<rss version="2.0"><channel><item><description>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}</description></item></channel></rss>`;
    expect(feedOf(await parseHostile(xml)).items[0]?.contentSnippet).toBe('deep');
  });

  it('handles 100k unclosed elements', async () => {
    await parseHostile(`<rss version="2.0"><channel><item><title>t</title>${'<a>'.repeat(100_000)}`);
  });

  it('handles 100k nested elements as the whole document', async () => {
    await parseHostile(`${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}`);
  });
});
