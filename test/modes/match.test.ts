import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runMatch } from '../../src/modes/match.js';

async function run(query: string, input: string): Promise<{ code: number; stdout: string[]; stderr: string }> {
  const stdout: string[] = [];
  let stderr = '';
  const code = await runMatch(query, {
    stdin: Readable.from([input]),
    stdout: (t) => stdout.push(...t.split('\n').filter((l) => l !== '')),
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('newshound match', () => {
  it('writes one JSON line per story with the matched terms', async () => {
    const input = [
      JSON.stringify({ title: 'Microsoft bestätigt Interesse an Tiktok', content: '<p>Der Konzern …</p>' }),
      JSON.stringify({ title: 'Apple stellt neues iPhone vor', content: 'Cupertino' }),
      JSON.stringify({ title: 'Neu', content: 'x', categories: ['ByteDance'] }),
    ].join('\n');
    const result = await run('tiktok OR bytedance', input);
    expect(result.code).toBe(0);
    expect(result.stdout.map((l) => JSON.parse(l) as unknown)).toEqual([
      { match: true, terms: ['tiktok'] },
      { match: false, terms: [] },
      { match: true, terms: ['bytedance'] },
    ]);
  });

  it('reports a bad line in its place and goes on, skipping blank lines', async () => {
    const input = ['not json', '', '[1]', '{"title": 5}', '{"title": "x", "categories": "a"}', '{}', '   ', '{"title": "TikTok"}'].join('\n');
    const result = await run('tiktok', input);
    expect(result.code).toBe(0);
    const lines = result.stdout.map((l) => JSON.parse(l) as { match: boolean; error?: string });
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, 5).every((l) => l.match === false && typeof l.error === 'string')).toBe(true);
    expect(lines[0]?.error).toMatch(/^invalid JSON/);
    expect(lines[5]).toEqual({ match: true, terms: ['tiktok'] });
  });

  it('exits 2 with the error on stderr when the query does not parse', async () => {
    const result = await run('tiktok OR (bytedance', '{"title": "x"}\n');
    expect(result.code).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toBe('At character 11: this "(" is never closed; add ")" after the group.\ntiktok OR (bytedance\n          ^\n');
  });

  it('handles input without a final newline and with CRLF line ends', async () => {
    const result = await run('tiktok', '{"title": "TikTok"}\r\n{"title": "tiktok"}');
    expect(result.stdout).toEqual(['{"match":true,"terms":["tiktok"]}', '{"match":true,"terms":["tiktok"]}']);
  });
});
