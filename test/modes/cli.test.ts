import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { startFakeFeeds } from '../fakes/fake-feeds.js';

const root = join(import.meta.dirname, '../..');
const main = join(root, 'dist/src/main.js');

function cli(args: string[], opts: { input?: Buffer | string; env?: Record<string, string> } = {}) {
  const res = spawnSync(process.execPath, [main, ...args], {
    input: opts.input,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...opts.env },
    timeout: 20_000,
  });
  return { code: res.status, stdout: res.stdout.toString('utf8'), stderr: res.stderr.toString('utf8') };
}

/** Like cli() but without blocking this process, for talking to a server the test itself runs. */
async function cliAsync(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [main, ...args], { env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

// `npm test` builds before running vitest; running this file alone needs `npm run build` first.
describe.runIf(existsSync(main))('the newshound command line', () => {
  it('prints usage for help and exits 2 on an unknown command', () => {
    expect(cli(['help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('newshound feed test') });
    const bad = cli(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command "frobnicate"');
  });

  it('reads a German ISO-8859-1 feed from stdin and keeps its umlauts', () => {
    const xml =
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Nachrichten</title>' +
      '<item><title>Microsoft bestätigt Interesse an Tiktok</title><link>https://example.de/a</link>' +
      '<description>Größere Übernahme möglich.</description><pubDate>Sun, 02 Aug 2020 18:00:00 MESZ</pubDate></item></channel></rss>';
    const res = cli(['feed', 'test', '-', '--json'], { input: iconv.encode(xml, 'latin1') });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const feed = JSON.parse(res.stdout) as { items: Array<{ title: string; contentSnippet: string; link: string }> };
    expect(feed.items[0]).toMatchObject({
      title: 'Microsoft bestätigt Interesse an Tiktok',
      contentSnippet: 'Größere Übernahme möglich.',
      link: 'https://example.de/a',
    });
  });

  it('uses --content-type for the charset of a body without a declaration', () => {
    const xml = '<rss version="2.0"><channel><title>Caf\u00e9</title></channel></rss>';
    const res = cli(['feed', 'test', '-', '--json', '--content-type', 'text/xml; charset=windows-1252'], {
      input: iconv.encode(xml, 'win1252'),
    });
    expect(JSON.parse(res.stdout)).toEqual({ title: 'Café', items: [] });
  });

  it('fetches a URL through the guarded fetcher, and only reaches loopback when the operator allows it', async () => {
    const fake = await startFakeFeeds();
    try {
      fake.setFeed('/news.xml', '<rss version="2.0"><channel><title>Local</title><item><title>One</title><link>/a</link></item></channel></rss>');
      const url = fake.url('/news.xml');
      const allowed = await cliAsync(['feed', 'test', url, '--json'], { FEED_ALLOW_PRIVATE_HOSTS: '127.0.0.1' });
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ title: 'Local', items: [{ title: 'One', link: fake.url('/a') }] });
      const refused = await cliAsync(['feed', 'test', url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/cannot fetch feed \(blocked\)/);
      expect(fake.requestCount('/news.xml')).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('exits 1 with a clear message for something that is not a feed, and for a refused URL', () => {
    const html = cli(['feed', 'test', '-'], { input: '<html><body>hello</body></html>' });
    expect(html.code).toBe(1);
    expect(html.stderr).toMatch(/^not a usable feed: /);
    const refused = cli(['feed', 'test', 'http://169.254.169.254/latest/meta-data/']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot fetch feed \((blocked|invalid-url)\)/);
  });

  it('loads no queue, Redis or chat library for feed test and none at all for help', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nh-trace-'));
    const trace = (args: string[]) => {
      const file = join(dir, `${args[0]}.txt`);
      spawnSync(process.execPath, ['--import', join(root, 'test/support/trace-imports.mjs'), main, ...args], {
        input: '<rss version="2.0"><channel><title>x</title></channel></rss>',
        env: { PATH: process.env.PATH, TRACE_IMPORTS_FILE: file },
      });
      return readFileSync(file, 'utf8');
    };
    const help = trace(['help']);
    expect(help).not.toMatch(/node_modules\/(bullmq|ioredis|undici|rss-parser|zod|pino)\//);
    const feedTest = trace(['feed', 'test', '-']);
    expect(feedTest).toMatch(/node_modules\/rss-parser\//);
    expect(feedTest).not.toMatch(/node_modules\/(bullmq|ioredis|discord\.js|@slack)\//);
  });
});
