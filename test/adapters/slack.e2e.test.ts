import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { start } from '../../src/modes/start.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { freePort } from '../support/redis-server.js';
import { testConfig } from '../support/runtime.js';
import { blockText, germanOutlets } from '../support/slack.js';
import { waitUntil } from '../support/wait.js';

const silent = createLogger({ level: 'silent', pretty: false });
const io = () => ({ stdin: new PassThrough(), write: () => undefined, interactive: false });

let feeds: FakeFeeds;
beforeAll(async () => {
  feeds = await startFakeFeeds();
});
afterAll(async () => {
  await feeds.close();
});

/**
 * The product story on Slack: a channel subscribes, a German outlet publishes a TikTok story,
 * exactly one alert appears; the same story from a second outlet edits it (chat.update).
 */
async function oneAlertThenAnEdit(fake: FakeSlack, outlets: ReturnType<typeof germanOutlets>) {
  await waitUntil(() => feeds.requestCount(outlets.paths[0]) >= 2 && feeds.requestCount(outlets.paths[1]) >= 2, 'baseline polls of both feeds');
  outlets.publish('a');
  const [alert] = await fake.waitForMessages('C0NEWS', 1, 20_000);
  const text = blockText(alert!);
  expect(text).toContain('Microsoft bestätigt Interesse an TikTok');
  expect(text).toMatch(/<https:\/\/a\.example\/[a-z]+\/tiktok\?utm_source=rss\|Microsoft bestätigt Interesse an TikTok>/);
  expect(text).toContain('Agentur A');
  expect(text).toContain('Microsoft hat Gespräche');
  expect(text).toContain('Matched: tiktok');
  expect(alert!.text).toContain('Microsoft bestätigt Interesse an TikTok');
  expect(alert).toMatchObject({ unfurl_links: false, unfurl_media: false, mentions: [], via: 'chat.postMessage' });
  expect(alert!.metadata).toMatchObject({ event_type: 'newshound_alert', event_payload: { story_id: expect.any(String), idempotency_key: expect.any(String) } });

  outlets.publish('b');
  await fake.waitForCall((c) => c.method === 'chat.update' && c.params.ts === alert!.ts, 20_000);
  const [edited] = fake.messages('C0NEWS');
  expect(blockText(edited!)).toContain('Also reported by Zeitung B');
  expect(fake.messages('C0NEWS')).toHaveLength(1);
  expect(fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0NEWS')).toHaveLength(1);
  expect(fake.stats.mentionPings).toBe(0);
  return alert!;
}

describe('Slack in HTTP mode, end to end: signed requests, real Bolt, Redis and BullMQ', () => {
  let fake: FakeSlack;
  let app: { stop(): Promise<void> };
  let url: string;
  let outlets: ReturnType<typeof germanOutlets>;

  beforeAll(async () => {
    fake = await startFakeSlack();
    outlets = germanOutlets(feeds, 'http');
    const port = await freePort();
    url = `http://127.0.0.1:${port}/slack/events`;
    const config = testConfig({
      FEEDS_FILE: outlets.feedsFile, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: fake.apiUrl, HTTP_PORT: String(port),
    });
    app = await start(config, silent, 'all', io());
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('subscribes the channel from a signed /news subscribe, acknowledged at once and answered privately', async () => {
    const res = await fake.postSigned(url, fake.slashCommandBody({ text: 'subscribe tiktok OR bytedance', responseUrlId: 'sub' }));
    expect(res.status).toBe(200);
    const [answer] = (await fake.waitForResponse('sub')) as Array<{ response_type: string; text: string; blocks: unknown[] }>;
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(answer!.text).toContain('bytedance OR tiktok: subscribed');
    expect(answer!.blocks.length).toBeGreaterThan(0);
  });

  it('posts exactly one alert for a German story and updates it when a second outlet reports it', async () => {
    await oneAlertThenAnEdit(fake, outlets);
  });

  it('answers /news tiktok privately with a share button that posts the results in the channel', async () => {
    await fake.postSigned(url, fake.slashCommandBody({ text: 'tiktok', responseUrlId: 'search' }));
    const [results] = (await fake.waitForResponse('search')) as Array<{ response_type: string; blocks: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> }>;
    expect(results!.response_type).toBe('ephemeral');
    expect(blockText(results!)).toContain('TikTok: Microsoft will US-Geschäft kaufen');
    const button = results!.blocks.find((b) => b.type === 'actions')!.elements![0]!;
    expect(button.action_id).toBe('nh:post-to-channel');

    const res = await fake.postSigned(url, fake.blockActionsBody({ actionId: button.action_id, value: button.value, responseUrlId: 'share' }));
    expect(res.status).toBe(200);
    const [shared] = (await fake.waitForResponse('share')) as Array<{ response_type: string }>;
    expect(shared!.response_type).toBe('in_channel');
    expect(fake.messages('C0NEWS').at(-1)).toMatchObject({ via: 'response_url', mentions: [] });
    expect(blockText(fake.messages('C0NEWS').at(-1)!)).toContain('alice shared');
  });

  it('puts feedback buttons under the alert; an admin mutes the source and excludes a word through a modal', async () => {
    const [alert] = fake.messages('C0NEWS');
    const row = (alert!.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')!;
    expect(row.elements!.map((e) => e.action_id)).toEqual(['nh:fb:mute-story', 'nh:fb:mute-source', 'nh:fb:exclude-word']);
    const clusterId = row.elements![1]!.value;

    // U0BOB is not an admin: a private explanation, nothing changes.
    await fake.postSigned(url, fake.blockActionsBody({ actionId: 'nh:fb:mute-source', value: clusterId, userId: 'U0BOB', responseUrlId: 'fb-bob' }));
    const [refused] = (await fake.waitForResponse('fb-bob')) as Array<{ response_type: string; text: string }>;
    expect(refused).toMatchObject({ response_type: 'ephemeral' });
    expect(refused!.text).toContain('Only people who may manage');

    await fake.postSigned(url, fake.blockActionsBody({ actionId: 'nh:fb:mute-source', value: clusterId, responseUrlId: 'fb-mute' }));
    const [muted] = (await fake.waitForResponse('fb-mute')) as Array<{ text: string }>;
    expect(muted!.text).toContain('Muted Agentur A');

    await fake.postSigned(url, fake.blockActionsBody({ actionId: 'nh:fb:exclude-word', value: clusterId, triggerId: 'trig-ex', responseUrlId: 'fb-ex' }));
    const open = await fake.waitForCall((c) => c.method === 'views.open');
    const raw = open.params.view;
    const view = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('nh:exclude-word');
    const submission = {
      type: 'view_submission',
      team: { id: 'T000001', domain: 'newshound-test' },
      user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T000001' },
      api_app_id: 'A0APP',
      token: 'verification-token',
      trigger_id: 'trig-submit',
      view: { id: 'V1', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: { word: { word: { type: 'plain_text_input', value: 'dance' } } } } },
    };
    const res = await fake.postSigned(url, `payload=${encodeURIComponent(JSON.stringify(submission))}`);
    expect(res.status).toBe(200);
    const confirmation = await fake.waitForCall((c) => c.method === 'chat.postEphemeral');
    expect(String(confirmation.params.text)).toContain('no longer alert here');
    await fake.postSigned(url, fake.slashCommandBody({ text: 'list', userId: 'U0BOB', responseUrlId: 'fb-list' }));
    const [list] = (await fake.waitForResponse('fb-list')) as Array<{ text: string }>;
    expect(list!.text).toContain('-dance');
  });

  it('answers an empty /news with help and a bad subcommand with its usage line', async () => {
    await fake.postSigned(url, fake.slashCommandBody({ text: '', responseUrlId: 'help' }));
    const [help] = (await fake.waitForResponse('help')) as Array<{ text: string }>;
    expect(help!.text).toContain('/news subscribe &lt;query&gt;');
    await fake.postSigned(url, fake.slashCommandBody({ text: 'subscribe', responseUrlId: 'usage' }));
    const [usage] = (await fake.waitForResponse('usage')) as Array<{ text: string }>;
    expect(usage!.text).toMatch(/Usage: \/news subscribe &lt;query&gt;\[, &lt;query&gt; \.\.\.\]/);
  });
});

describe('Slack in Socket Mode, end to end', () => {
  let fake: FakeSlack;
  let app: { stop(): Promise<void> };
  let outlets: ReturnType<typeof germanOutlets>;

  beforeAll(async () => {
    fake = await startFakeSlack();
    outlets = germanOutlets(feeds, 'socket');
    const config = testConfig({ FEEDS_FILE: outlets.feedsFile, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: fake.apiUrl });
    app = await start(config, silent, 'all', io());
    await fake.waitForSocket();
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.waitForSocketsClosed();
    await fake?.close();
  });

  it('subscribes the channel from a slash_commands envelope, acknowledged within a second', async () => {
    const ack = await fake.sendEnvelope('slash_commands', fake.slashCommandPayload({ text: 'sub tiktok', responseUrlId: 'sock-sub' }));
    expect(ack.at).toBeLessThan(1000);
    const [answer] = (await fake.waitForResponse('sock-sub')) as Array<{ text: string }>;
    expect(answer!.text).toContain('tiktok: subscribed');
  });

  it('posts exactly one alert for a German story and updates it when a second outlet reports it', async () => {
    await oneAlertThenAnEdit(fake, outlets);
  });
});
