import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMessage, blockTextLength, escapeSlack, replyContent, SLACK_LIMITS, slackText, type SlackBlock } from '../../src/adapters/slack/render.js';
import { createSlackSender, createSlackWebClient } from '../../src/adapters/slack/sender.js';
import { storyCard } from '../../src/chat/cards.js';
import type { Reply } from '../../src/chat/reply.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import { buildAlert } from '../../src/delivery/alert.js';
import { createLogger } from '../../src/log.js';
import { findMentions, startFakeSlack, validateBlocks, type FakeSlack } from '../fakes/fake-slack.js';

const log = createLogger({ level: 'silent', pretty: false });

/** Seeded hostile text: long runs, emoji, RTL, zalgo, markup, every kind of Slack mention, lone surrogates, control characters. */
function fuzzer(seed: number) {
  let s = seed;
  const rnd = (k: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % k;
  };
  const pieces = ['<!channel> ', '<!here> ', '<!everyone> ', '<@U0ALICE> ', '<@W123|bob> ', '<!subteam^S123> ', '@channel ', '&amp; ', '&lt;!here&gt; ', '<https://evil.example|click> ',
    '*bold* ', '_x_ ', '`code` ', '```block``` ', '> quote\n', '|', 'مرحبا بالعالم ', '\u200f', 'Z̸̢̛a̴l̵g̷o̶ ', '🔥', '👩‍👩‍👧‍👦', '\ud83d', '\u0000', '\u0007', 'word ', 'Wort ', 'ä', '字节跳动', ' ', '\n', '\t', '&', '<', '>'];
  const text = (max: number) => {
    const length = rnd(4) === 0 ? max : rnd(max + 1);
    let out = '';
    while (out.length < length) out += rnd(3) === 0 ? String.fromCodePoint(rnd(0x2ffff)) : pieces[rnd(pieces.length)]!;
    return out.slice(0, length);
  };
  return { rnd, text };
}

function fuzzStories(count: number): Array<{ story: Story; terms: string[] }> {
  const { rnd, text } = fuzzer(42);
  return Array.from({ length: count }, (_, i) => {
    const terms = Array.from({ length: rnd(40) }, () => text(500));
    const link = rnd(5) === 0 ? `https://news.example/${text(200)}?a=1&b=<!here>|x` : `https://news.example/fuzz/${i}`;
    const story = storyFromItem({ title: text(10_000), contentSnippet: text(20_000), link }, `url:fuzz/${i}`, { id: 'f', name: text(300) || 'x' }, new Date());
    return { story, terms };
  });
}

/** Problems of one message by S3's rules (empty when it is fine). */
function s3Problems(content: { text: string; blocks: SlackBlock[] }): string[] {
  const problems: string[] = [];
  if (!content.text) problems.push('no fallback text');
  if (content.blocks.length > SLACK_LIMITS.blocks) problems.push('too many blocks');
  for (const b of content.blocks) if (b.type === 'section' && b.text.text.length > SLACK_LIMITS.sectionText) problems.push('section text over 3000');
  if (blockTextLength(content.blocks) > SLACK_LIMITS.totalBlockText) problems.push('block text over 12,000');
  const invalid = validateBlocks(content.blocks);
  if (invalid) problems.push(`${invalid.error}: ${invalid.detail}`);
  // Newshound never sets link_names, so a bare @channel stays text.
  const mentions = findMentions(content, false);
  if (mentions.length > 0) problems.push(`mentions ${mentions.join(' ')}`);
  return problems;
}

describe('Slack formatting (RELIABILITY S3)', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ channelRate: false });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('escapes &, < and > so feed text never forms a mention, a link or a date', () => {
    expect(escapeSlack('<!channel> & <@U123> <!date^1|x>')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;!date^1|x&gt;');
    expect(slackText('&'.repeat(5000), 3000).length).toBeLessThanOrEqual(3000);
    expect(slackText('&'.repeat(5000), 3000)).not.toMatch(/&(?!amp;)|&a?m?p?…$/);
  });

  it('renders 1000 fuzzed stories within Block Kit limits, with a fallback and no mention, and the fake accepts a share of them', async () => {
    const t0 = Date.now();
    const stories = fuzzStories(1000);
    const alerts = stories.map(({ story, terms }, i) => alertMessage(buildAlert(story, [{ query: terms.join(' ') || 'q', terms }], i % 3 === 0 ? [terms[0] ?? 'Other outlet'] : []), `key-${i}`));
    const alertProblems = alerts.flatMap((a) => s3Problems(a));
    // Search results: five fuzzed stories per reply, with the share button.
    const replies: Reply[] = Array.from({ length: 200 }, (_, i) => ({
      visibility: 'private',
      title: stories[i]!.story.title,
      blocks: [{ kind: 'stories', stories: stories.slice(i * 5, i * 5 + 5).map(({ story, terms }) => storyCard(story, { terms })) }, { kind: 'problem', code: 'x', text: stories[i]!.terms.join(' ') || 'x', detail: stories[i]!.story.title.slice(0, 300), usage: '/news subscribe <query>' }],
      actions: [{ id: 'post-to-channel', label: 'Post to channel', token: `tok${i}` }],
    }));
    const replyProblems = replies.flatMap((r) => s3Problems(replyContent(r)));
    const maxSection = Math.max(...alerts.flatMap((a) => a.blocks.map((b) => (b.type === 'section' ? b.text.text.length : 0))));
    const maxTotal = Math.max(...[...alerts, ...replies.map(replyContent)].map((c) => blockTextLength(c.blocks)));
    console.log(`S3 render: ${alerts.length} alerts and ${replies.length} replies in ${Date.now() - t0} ms; longest section ${maxSection}, most block text ${maxTotal}; problems ${alertProblems.length + replyProblems.length}`);
    expect(alertProblems).toEqual([]);
    expect(replyProblems).toEqual([]);

    const sender = createSlackSender(createSlackWebClient({ token: 'xoxb-test', apiUrl: fake.apiUrl, log, timeoutMs: 5000 }), { log });
    const sample = stories.slice(0, 150);
    for (const [i, { story, terms }] of sample.entries()) {
      await sender.send({ platform: 'slack', workspaceId: 'T000001', channelId: 'C0NEWS' }, buildAlert(story, [{ query: 'q', terms }]), `share-${i}`);
    }
    const answers = await Promise.all(replies.slice(0, 50).map(async (r, i) => {
      const res = await fetch(fake.responseUrl(`fuzz-${i}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', ...replyContent(r) }) });
      return res.status;
    }));
    const refused = fake.calls.filter((c) => c.response?.status !== 200 || (c.response.body as { ok?: boolean }).ok !== true);
    console.log(`S3 figures: ${sample.length} alerts posted, ${refused.length} refused (invalid_blocks/msg_too_long/msg_blocks_too_long), ${answers.filter((s) => s !== 200).length} of 50 replies refused by the response_url, pings ${fake.stats.mentionPings}`);
    expect(refused).toEqual([]);
    expect(answers.every((s) => s === 200)).toBe(true);
    expect(fake.messages('C0NEWS')).toHaveLength(sample.length);
    expect(fake.stats.mentionPings).toBe(0);
  }, 60_000);
});
