import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/console/console.js';
import { replyToText } from '../../src/chat/reply.js';
import type { Destination } from '../../src/core/destination.js';
import { feedIdFor } from '../../src/core/feed.js';
import { storyFromItem, type Story } from '../../src/core/story.js';
import { deliverAlert } from '../../src/delivery/deliver.js';
import { createLogger } from '../../src/log.js';
import { createChatRuntime, type ChatRuntime } from '../../src/modes/chat-runtime.js';
import { createTopicSync } from '../../src/storage/topic-sync.js';
import { createRuntime, type Runtime } from '../../src/modes/runtime.js';
import type { DeliverJob } from '../../src/queues/payloads.js';
import { OPERATOR_OWNER } from '../../src/queues/scheduler.js';
import type { JobRun } from '../../src/queues/worker.js';
import { matchStory } from '../../workers/match.worker.js';
import { say } from '../support/chat.js';
import { testConfig } from '../support/runtime.js';

let runtime: Runtime;
let chat: ChatRuntime;
let output = '';
let clock = Date.now();
const dest: Destination = { platform: 'discord', workspaceId: 'G1', channelId: 'C-fb' };
const manager = { invoker: { platform: 'discord' as const, userId: 'U1', userName: 'alice', canManage: true }, destination: dest };
const member = { invoker: { platform: 'discord' as const, userId: 'U2', userName: 'bob', canManage: false }, destination: dest };
const run = { job: {}, signal: new AbortController().signal, delayJob: () => Promise.reject(new Error('delay')), rateLimitQueue: () => Promise.reject(new Error('rl')) } as unknown as JobRun;

beforeAll(async () => {
  const config = testConfig();
  const log = createLogger({ level: 'silent', pretty: false });
  runtime = await createRuntime(config, log);
  chat = await createChatRuntime(config, log, () => clock);
  runtime.ctx.senders.discord = { ...createConsoleSender((t) => (output += t)), platform: 'discord' };
  // This test subscribes and publishes back to back: the worker's topic index must see every change at once.
  runtime.ctx.topics = createTopicSync(runtime.ctx.subscriptions, log, 0);
  for (const f of ['Wire', 'Tabloid', 'Daily']) await runtime.ctx.feeds.addOwner(feedIdFor(f), OPERATOR_OWNER);
});
afterAll(async () => {
  await chat.close();
  await runtime.close();
});
beforeEach(() => {
  clock += 60_000;
});

let n = 0;
async function publish(title: string, source: string, lead: string): Promise<{ story: Story; outcomes: unknown[] }> {
  const story = storyFromItem({ title, contentSnippet: lead, link: `https://fb.example/${++n}` }, `url:fb.example/${n}`, { id: feedIdFor(source), name: source }, new Date());
  await runtime.ctx.stories.add(story);
  await matchStory(story.id, story.feedId, runtime.ctx);
  const jobs = (await runtime.ctx.queues.deliver.discord.queue.getJobs(['waiting'])).filter((j) => (j.data as DeliverJob).storyId === story.id);
  const outcomes = [];
  for (const j of jobs) {
    outcomes.push(await deliverAlert(j.data as DeliverJob, runtime.ctx, run, runtime.ctx.senders.discord));
    await j.remove();
  }
  return { story, outcomes };
}

const clusterOf = async (s: Story) => (await runtime.ctx.clusters.clusterOf(s.id))!;
const LEAD = 'The chip maker reported record quarterly revenue on Thursday and raised its forecast for the rest of the year, sending its shares higher.';

describe('feedback buttons', () => {
  it('refuses members who may not manage the channel, privately', async () => {
    await say(chat, 'subscribe nvidia', { dest });
    const { story } = await publish('Nvidia beats forecasts again', 'Wire', LEAD);
    const reply = await chat.runFeedback('mute-source', await clusterOf(story), member);
    expect(reply.visibility).toBe('private');
    expect(replyToText(reply)).toMatch(/Only people who may manage/);
  });

  it('mute story: the alert is not updated again when other outlets report the story', async () => {
    const before = await publish('Chip maker posts record quarter', 'Wire', 'A chip maker posted a record quarter on Thursday as demand for data-centre processors kept rising across markets.');
    expect(before.outcomes).toEqual([]);
    await say(chat, 'subscribe chip', { dest });
    const first = await publish('Record quarter for chip maker', 'Tabloid', 'A chip maker posted a record quarter on Thursday as demand for data-centre processors kept rising across markets.');
    expect(first.outcomes).toEqual([{ outcome: 'posted', messageId: expect.any(String) }]);
    expect(replyToText(await chat.runFeedback('mute-story', await clusterOf(first.story), manager))).toMatch(/Muted/);
    const second = await publish('Chip maker: best quarter ever', 'Daily', 'A chip maker posted a record quarter on Thursday as demand for data-centre processors kept rising across markets.');
    expect(second.outcomes).toEqual([{ outcome: 'muted' }]);
  });

  it('mute source: that outlet’s stories no longer alert for the topic', async () => {
    await say(chat, 'subscribe tesla', { dest });
    const { story } = await publish('Tesla recalls cars over software fault', 'Tabloid', 'Tesla is recalling cars in several countries to fix a software fault in the driver display, regulators said on Friday.');
    const reply = await chat.runFeedback('mute-source', await clusterOf(story), manager);
    expect(replyToText(reply)).toMatch(/Muted Tabloid for #\d+ tesla/);
    const again = await publish('Tesla opens factory in Mexico', 'Tabloid', 'Tesla began building a factory near Monterrey, the state governor announced at a ceremony attended by investors.');
    expect(again.outcomes).toEqual([]);
    const other = await publish('Tesla opens Mexican plant', 'Wire', 'Construction of a Tesla plant started near Monterrey with a ceremony, according to officials and company statements.');
    expect(other.outcomes).toEqual([{ outcome: 'posted', messageId: expect.any(String) }]);
  });

  it('exclude a word: the topic becomes (query) -word and keeps matching everything else', async () => {
    await say(chat, 'subscribe apple', { dest });
    const { story } = await publish('Apple unveils new iPhone', 'Wire', 'Apple showed a new iPhone with a faster chip and a better camera at its autumn event in Cupertino on Tuesday.');
    const reply = await chat.runFeedback('exclude-word', await clusterOf(story), manager, 'pie');
    // The alert matched both "apple" and "chip" ("a faster chip"): the word is excluded from both.
    expect(replyToText(reply)).toMatch(/Stories containing "pie" no longer alert here: .*#\d+ apple -pie \(was #\d+ apple\)/);
    expect((await chat.services.subscriptions.list(dest)).map((s) => s.query)).toContain('apple -pie');
    expect((await publish('Best apple pie recipes for autumn', 'Daily', 'Bake an apple pie with cinnamon and a crunchy crust for the weekend, says our food writer.')).outcomes).toEqual([]);
    expect((await publish('Apple shares rise after event', 'Daily', 'Investors bought Apple shares after the product event, pushing the stock to a record close on Wall Street.')).outcomes).toHaveLength(1);
    expect(replyToText(await chat.runFeedback('exclude-word', await clusterOf(story), manager, '"quotes"'))).toMatch(/one word or a short phrase/);
  });

  it('stats show alerts per day, top sources, muted sources and failing feeds', async () => {
    const { text } = await say(chat, 'stats', { dest });
    expect(text).toMatch(/Alerts per day [▁▂▃▄▅▆▇█]{7}/);
    expect(text).toMatch(/Top sources: (Wire|Tabloid|Daily) \d/);
    expect(text).toMatch(/Muted sources: Tabloid \(muted for #\d+ tesla\)/);
    expect(text).toContain('Failing feeds: none');
    // One topic: its own alerts, and only its muted sources.
    const tesla = (await say(chat, 'stats tesla', { dest, user: 'stats-reader' })).text;
    expect(tesla).toMatch(/total 2 for #\d+ tesla/);
    expect(tesla).toMatch(/Muted sources: Tabloid \(muted for #\d+ tesla\)$/m);
    expect(tesla).not.toContain('#1 chip');
  });
});

describe('channel settings commands', () => {
  const d2: Destination = { platform: 'discord', workspaceId: 'G1', channelId: 'C-settings' };
  let users = 0;
  const as = (text: string) => say(chat, text, { dest: d2, user: `admin-${++users}` });
  it('set digest mode, time zone, quiet hours and breaking rule, with clear errors', async () => {
    await as('subscribe ukraine');
    expect((await as('digest 1 daily 07:30')).text).toContain('#1 ukraine is now daily 07:30: one digest every day at 07:30 (UTC');
    expect((await as('timezone Europe/Berlin')).text).toContain('Europe/Berlin');
    expect((await as('timezone Mars/Olympus')).problem).toMatchObject({ code: 'bad-zone' });
    expect((await as('digest 1 weekly')).problem).toMatchObject({ code: 'bad-mode' });
    expect((await as('quiet 22:00-07:00')).text).toContain('Quiet hours 22:00-07:00 (Europe/Berlin)');
    expect((await as('quiet late')).problem).toMatchObject({ code: 'bad-hours' });
    expect((await as('breaking <@&42> 4 20')).text).toContain('When 4 or more outlets report the same story within 20 minutes');
    expect(await chat.services.channels.settings(d2)).toEqual({ timeZone: 'Europe/Berlin', quiet: { start: '22:00', end: '07:00' }, breaking: { mention: '42', outlets: 4, minutes: 20 } });
    expect((await as('list')).text).toContain('daily 07:30 digest');
    expect((await as('quiet off')).text).toContain('Quiet hours are off');
    expect((await as('digest 1 instant')).text).toContain('instant');
  });
});

describe('buttons while Redis does not answer', () => {
  it('tell the user to try again in a minute, with a reference to quote, and never throw', async () => {
    const { story } = await publish('Chip maker opens new plant', 'Wire', LEAD);
    const cluster = await clusterOf(story);
    const cut = await createChatRuntime(testConfig(), createLogger({ level: 'silent', pretty: false }));
    cut.redis.disconnect();
    try {
      for (const reply of [await cut.runFeedback('mute-story', cluster, manager), await cut.runAction('some-token', member)]) {
        expect(reply.visibility).toBe('private');
        expect(replyToText(reply)).toMatch(/cannot reach its database right now\. Please try again in a minute\. \(ref [0-9a-f]{6}\)/);
      }
    } finally {
      await cut.close();
    }
  });
});
