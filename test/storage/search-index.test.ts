import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/matcher.js';
import { parseQuery } from '../../src/core/query/parser.js';
import { prepareDocument } from '../../src/core/text/normalize.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { OPERATOR_OWNER } from '../../src/queues/scheduler.js';
import { testRuntime } from '../support/runtime.js';

let runtime: Runtime;
const stories: Story[] = [];
const WORDS = ['tiktok', 'bytedance', 'ban', 'bans', 'bank', 'münchen', 'straße', 'ai', 'airlines', 'trump', 'ukraine', 'gaza', 'verbot', 'tiktok-verbot', '字节跳动', 'news', 'court', 'deal'];
const DAY = 86_400_000;
const now = Date.now();

beforeAll(async () => {
  runtime = await testRuntime();
  await runtime.ctx.feeds.addOwner('public', OPERATOR_OWNER);
  await runtime.ctx.feeds.addOwner('private', 'discord:G-private');
  const generated = fc.sample(
    fc.record({ title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }), body: fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }), ageHours: fc.integer({ min: 0, max: 240 }), private: fc.boolean() }),
    { numRuns: 300, seed: 3 },
  );
  for (const [i, g] of generated.entries()) {
    const at = new Date(now - g.ageHours * 3_600_000 - i);
    const story = storyFromItem(
      { title: g.title.join(' '), contentSnippet: g.body.join(' '), link: `https://s.example/${i}` },
      `url:s.example/${i}`,
      { id: g.private && i % 3 === 0 ? 'private' : 'public', name: 'Src' },
      at,
    );
    await runtime.ctx.stories.add(story);
    await runtime.ctx.search.index(story);
    stories.push(story);
  }
});
afterAll(async () => {
  await runtime.close();
});

const queryArb = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} ${b}`),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} OR ${b}`),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} -${b}`),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `"${a} ${b}"`),
  fc.constantFrom('tik*', 'ban*', 'ai*', '跳动', 'strasse', 'munchen'),
);

describe('search index', () => {
  it('returns exactly what checking every stored story would, newest first, within the window and the workspace', async () => {
    await fc.assert(
      fc.asyncProperty(queryArb, fc.constantFrom('discord:G-private', 'discord:G-other'), async (text, workspace) => {
        let query;
        try {
          query = parseQuery(text);
        } catch {
          return; // queries that do not parse are the parser's business
        }
        const since = now - 7 * DAY;
        const expected = stories
          .filter((s) => Date.parse(s.firstSeenAt) >= since)
          .filter((s) => s.feedId === 'public' || workspace === 'discord:G-private')
          .filter((s) => evaluate(query, prepareDocument({ title: s.title, text: s.snippet ?? '', categories: s.categories })).match)
          .sort((a, b) => Date.parse(b.firstSeenAt) - Date.parse(a.firstSeenAt))
          .map((s) => s.id);
        const got = (await runtime.ctx.search.search(query, { workspace, sinceMs: since, limit: 1000 })).map((h) => h.story.id);
        expect(got).toEqual(expected);
        const top = (await runtime.ctx.search.search(query, { workspace, sinceMs: since, limit: 5 })).map((h) => h.story.id);
        expect(top).toEqual(expected.slice(0, 5));
      }),
      { numRuns: 150, seed: 5 },
    );
  });
});
