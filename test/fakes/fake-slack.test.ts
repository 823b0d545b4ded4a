import { EventEmitter, once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App, HTTPReceiver, LogLevel, RespondError, SocketModeReceiver, webApi, type Logger, type SlashCommand, type types,
} from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';

const BOT_TOKEN = 'xoxb-test';
const APP_TOKEN = 'xapp-1-test';
const SECRET = 'test-signing-secret';

/** What a rejected promise rejected with (fails the test if it resolved). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

async function platformErrorOf(p: Promise<unknown>): Promise<string> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(webApi.WebAPIPlatformError);
  return (e as InstanceType<typeof webApi.WebAPIPlatformError>).data.error;
}

function webClient(fake: FakeSlack, opts: Partial<webApi.WebClientOptions> = {}, token = BOT_TOKEN): webApi.WebClient {
  return new webApi.WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, ...opts });
}

const section = (text: string): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** WebClient logs platform errors; the content-rule tests provoke dozens on purpose. */
const silent: Logger = {
  debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined,
  setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined,
};

describe('FakeSlack with Bolt in HTTP mode', () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;
  const seen = new EventEmitter();

  beforeAll(async () => {
    fake = await startFakeSlack({
      channels: [
        { id: 'C0NEWS', name: 'news' }, { id: 'C0RATE' }, { id: 'C0SCRIPT' }, { id: 'C0LIMIT' }, { id: 'C0HIST' },
        { id: 'C0DROP' }, { id: 'C0PACE' }, { id: 'C0PRIV', isMember: false }, { id: 'C0OLD', isArchived: true }, { id: 'C0JOIN', isMember: false },
      ],
    });
    app = new App({
      token: BOT_TOKEN, botId: 'B0BOT', botUserId: 'U0BOT', logLevel: LogLevel.ERROR,
      receiver: new HTTPReceiver({ signingSecret: SECRET, unhandledRequestTimeoutMillis: 300, logLevel: LogLevel.ERROR }),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/news', async ({ command, ack, respond }) => {
      await ack();
      try {
        await respond({ response_type: 'in_channel', text: `News about ${command.text}` });
        seen.emit('command', command, undefined);
      } catch (e) {
        seen.emit('command', command, e);
      }
    });
    app.action('read_more', async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: 'Opened' });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('delivers a signed slash command to app.command, answers ack() with 200 and records respond() in the sink', async () => {
    const handled = once(seen, 'command');
    const res = await fake.postSigned(eventsUrl, fake.slashCommandBody({ text: 'tiktok', responseUrlId: 'cmd-ok' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const [command, error] = (await handled) as [SlashCommand, unknown];
    expect(error).toBeUndefined();
    expect(command).toMatchObject({ command: '/news', text: 'tiktok', channel_id: 'C0NEWS', user_id: 'U0ALICE', team_id: 'T000001' });
    expect(await fake.waitForResponse('cmd-ok')).toEqual([{ response_type: 'in_channel', text: 'News about tiktok' }]);
    // An in_channel answer is visible in the channel, like on Slack.
    expect(fake.messages('C0NEWS').at(-1)).toMatchObject({ text: 'News about tiktok', via: 'response_url', mentions: [] });
  });

  it('answers 401 to a bad signature, a stale timestamp, a wrong secret, an altered body, missing headers and a v1 signature', async () => {
    let handled = 0;
    const count = (): void => void (handled += 1);
    seen.on('command', count);
    const body = fake.slashCommandBody({ text: 'tiktok' });
    const now = Math.floor(Date.now() / 1000);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const signed = fake.signRequest(body, now);
    const post = (headers: Record<string, string>, b = body): Promise<Response> =>
      fetch(eventsUrl, { method: 'POST', headers: { ...form, ...headers }, body: b });
    const statuses = await Promise.all([
      post({ ...signed, 'x-slack-signature': `v0=${'0'.repeat(64)}` }),
      post(fake.signRequest(body, now - 301)),
      post(fake.signRequest(body, now, 'another-secret')),
      post(signed, body.replace('tiktok', 'tiktoc')),
      post({}),
      post({ ...signed, 'x-slack-signature': signed['x-slack-signature']!.replace('v0=', 'v1=') }),
    ]).then((rs) => rs.map((r) => r.status));
    seen.off('command', count);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expect(handled).toBe(0);
  });

  it('shows that Bolt accepts a timestamp 301 s in the future, so the I2 "+301 s" case needs a check in the bot', async () => {
    const handled = once(seen, 'command');
    const body = fake.slashCommandBody({ text: 'future', responseUrlId: 'cmd-future' });
    const res = await fake.postSigned(eventsUrl, body, { timestampSeconds: Math.floor(Date.now() / 1000) + 301 });
    expect(res.status).toBe(200);
    await handled;
    await fake.waitForResponse('cmd-future');
  });

  it('makes respond() reject with RespondError when the response_url answers 404', async () => {
    fake.failResponses('cmd-gone', 404);
    const handled = once(seen, 'command');
    await fake.postSigned(eventsUrl, fake.slashCommandBody({ text: 'gone', responseUrlId: 'cmd-gone' }));
    const [, error] = (await handled) as [SlashCommand, unknown];
    expect(error).toBeInstanceOf(RespondError);
    expect((error as RespondError).code).toBe('slack_bolt_respond_error');
    expect(fake.responses('cmd-gone')).toEqual([]);
    expect(fake.responseAttempts('cmd-gone')).toEqual([{ status: 404, body: 'expired_url' }]);
  });

  it('turns a button click into app.action and lets respond({replace_original}) edit the clicked message', async () => {
    const posted = await app.client.chat.postMessage({ channel: 'C0NEWS', text: 'Story', blocks: [section('Story')] });
    const res = await fake.postSigned(eventsUrl, fake.blockActionsBody({ actionId: 'read_more', value: 'story-1', responseUrlId: 'click-1' }));
    expect(res.status).toBe(200);
    await fake.waitForResponse('click-1');
    const msg = fake.messages('C0NEWS').find((m) => m.ts === posted.ts);
    expect(msg).toMatchObject({ text: 'Opened', edited: { user: 'U0BOT' } });
  });

  it('records chat.postMessage as a visible message with blocks and metadata, and applies chat.update to it', async () => {
    const blocks: types.KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'TikTok ban news' } }, section('Summary &lt;!channel&gt;')];
    const metadata = { event_type: 'newshound_story', event_payload: { story_id: 's-1' } };
    const posted = await app.client.chat.postMessage({ channel: 'C0NEWS', text: 'TikTok ban news', blocks, metadata, unfurl_links: false });
    expect(posted).toMatchObject({ ok: true, channel: 'C0NEWS', message: { metadata, bot_id: 'B0BOT' } });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);

    const call = fake.callsTo('chat.postMessage').at(-1)!;
    expect(call).toMatchObject({ authorization: `Bearer ${BOT_TOKEN}`, contentType: 'application/x-www-form-urlencoded' });
    expect(call.params).toMatchObject({ channel: 'C0NEWS', blocks, metadata, unfurl_links: 'false' });

    expect(fake.messages('C0NEWS').find((m) => m.ts === posted.ts)).toMatchObject({
      channel: 'C0NEWS', text: 'TikTok ban news', blocks, metadata, unfurl_links: false, mentions: [], user: 'U0BOT',
    });

    const updated = await app.client.chat.update({ channel: 'C0NEWS', ts: posted.ts!, text: 'TikTok ban news (updated)' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts });
    const after = fake.messages('C0NEWS').find((m) => m.ts === posted.ts)!;
    expect(after).toMatchObject({ text: 'TikTok ban news (updated)', blocks, metadata, edited: { user: 'U0BOT' } });
    expect(await platformErrorOf(app.client.chat.update({ channel: 'C0NEWS', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
  });

  it("rejects unknown, archived and non-member channels and a wrong token with Slack's error codes", async () => {
    expect(await platformErrorOf(app.client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await platformErrorOf(app.client.chat.postMessage({ channel: 'C0PRIV', text: 'x' }))).toBe('not_in_channel');
    expect(await platformErrorOf(app.client.chat.postMessage({ channel: 'C0OLD', text: 'x' }))).toBe('is_archived');
    expect(await platformErrorOf(webClient(fake, {}, 'xoxb-wrong').chat.postMessage({ channel: 'C0NEWS', text: 'x' }))).toBe('invalid_auth');
    expect(await platformErrorOf(webClient(fake, {}, APP_TOKEN).chat.postMessage({ channel: 'C0NEWS', text: 'x' }))).toBe('not_allowed_token_type');
    await app.client.conversations.join({ channel: 'C0JOIN' });
    await expect(app.client.chat.postMessage({ channel: 'C0JOIN', text: 'now a member' })).resolves.toMatchObject({ ok: true });
    expect(fake.messages('C0PRIV')).toEqual([]);
  });

  it('answers scripted platform errors as WebAPIPlatformError for as many calls as scripted', async () => {
    for (const error of ['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth']) {
      fake.override({ method: 'chat.postMessage', channel: 'C0SCRIPT', times: 1 }, { kind: 'error', error });
    }
    const errors: string[] = [];
    for (let i = 0; i < 4; i += 1) errors.push(await platformErrorOf(app.client.chat.postMessage({ channel: 'C0SCRIPT', text: 'x' })));
    expect(errors).toEqual(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth']);
    await expect(app.client.chat.postMessage({ channel: 'C0SCRIPT', text: 'ok' })).resolves.toMatchObject({ ok: true });

    fake.override({ method: 'chat.postMessage', channel: 'C0SCRIPT', times: 1 }, { kind: 'http', status: 500 });
    const e = await rejection(app.client.chat.postMessage({ channel: 'C0SCRIPT', text: 'x' }));
    expect(e).toBeInstanceOf(webApi.WebAPIHTTPError);
    expect((e as InstanceType<typeof webApi.WebAPIHTTPError>).statusCode).toBe(500);
  });

  it('answers a scripted 429 with an integer Retry-After and counts a retry inside that window as early', async () => {
    const client = webClient(fake, { rejectRateLimitedCalls: true });
    const before = fake.stats;
    fake.override({ method: 'chat.postMessage', channel: 'C0LIMIT', times: 1 }, { kind: 'rateLimit', retryAfterSeconds: 2 });
    const first = await rejection(client.chat.postMessage({ channel: 'C0LIMIT', text: 'x' }));
    expect(first).toBeInstanceOf(webApi.WebAPIRateLimitedError);
    expect((first as InstanceType<typeof webApi.WebAPIRateLimitedError>).retryAfter).toBe(2);
    expect(fake.callsTo('chat.postMessage').at(-1)!.response).toEqual({ status: 429, body: { ok: false, error: 'ratelimited' } });

    // A client that retries without waiting: every retry is refused, and counted once past the
    // short in-flight grace that spares requests sent before the 429 arrived.
    let retries = 0;
    while (fake.stats.earlyRequests === before.earlyRequests) {
      const again = await rejection(client.chat.postMessage({ channel: 'C0LIMIT', text: 'too soon' }));
      expect(again).toBeInstanceOf(webApi.WebAPIRateLimitedError);
      retries += 1;
    }
    expect(fake.stats.rateLimited - before.rateLimited).toBe(1 + retries);
    expect(fake.messages('C0LIMIT')).toEqual([]);
  });

  it('lets a burst of 3 through when 5 posts go to one channel at once and answers the rest 429', async () => {
    const client = webClient(fake, { rejectRateLimitedCalls: true });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => client.chat.postMessage({ channel: 'C0RATE', text: `story ${n}` })));
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejected).toHaveLength(2);
    for (const e of rejected) {
      expect(e).toBeInstanceOf(webApi.WebAPIRateLimitedError);
      expect((e as InstanceType<typeof webApi.WebAPIRateLimitedError>).retryAfter).toBe(1);
    }
    expect(fake.messages('C0RATE')).toHaveLength(3);
    expect(fake.stats.maxPerChannelPerSecond).toBe(3);
  });

  it('lets a WebClient that honours Retry-After deliver 5 concurrent posts with no early request and at most 3 in any second', async () => {
    const before = fake.stats;
    const client = webClient(fake, { retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 0 } });
    await Promise.all([1, 2, 3, 4, 5].map((n) => client.chat.postMessage({ channel: 'C0PACE', text: `story ${n}` })));
    expect(fake.messages('C0PACE')).toHaveLength(5);
    expect(fake.stats.rateLimited - before.rateLimited).toBeGreaterThanOrEqual(2);
    expect(fake.stats.earlyRequests - before.earlyRequests).toBe(0);
    expect(fake.stats.maxPerChannelPerSecond).toBeLessThanOrEqual(3);
  });

  it('returns history newest first with metadata only when include_all_metadata is set, paging with a cursor', async () => {
    const meta = (id: string): { event_type: string; event_payload: { story_id: string } } => ({ event_type: 'newshound_story', event_payload: { story_id: id } });
    const a = await app.client.chat.postMessage({ channel: 'C0HIST', text: 'A', metadata: meta('a') });
    const b = await app.client.chat.postMessage({ channel: 'C0HIST', text: 'B', metadata: meta('b') });
    await app.client.chat.postMessage({ channel: 'C0HIST', text: 'reply', thread_ts: a.ts! });

    const plain = await app.client.conversations.history({ channel: 'C0HIST' });
    expect(plain.messages?.map((m) => m.text)).toEqual(['B', 'A']);
    expect(plain.messages?.[0]).not.toHaveProperty('metadata');

    const withMeta = await app.client.conversations.history({ channel: 'C0HIST', include_all_metadata: true, limit: 1 });
    expect(withMeta.messages).toEqual([expect.objectContaining({ ts: b.ts, metadata: meta('b') })]);
    expect(withMeta.has_more).toBe(true);
    const next = await app.client.conversations.history({
      channel: 'C0HIST', include_all_metadata: true, limit: 1, cursor: withMeta.response_metadata!.next_cursor!,
    });
    expect(next.messages).toEqual([expect.objectContaining({ ts: a.ts, metadata: meta('a') })]);
    expect(next.has_more).toBe(false);
    expect(await platformErrorOf(app.client.conversations.history({ channel: 'C0PRIV' }))).toBe('not_in_channel');
  });

  it('still posts a message whose answer was delayed past the client timeout or dropped, so delivery is ambiguous', async () => {
    fake.override({ method: 'chat.postMessage', channel: 'C0DROP', times: 1 }, { kind: 'acceptThenDrop' });
    const dropped = await rejection(app.client.chat.postMessage({ channel: 'C0DROP', text: 'dropped' }));
    expect(dropped).toBeInstanceOf(webApi.WebAPIRequestError);
    expect(fake.messages('C0DROP').map((m) => m.text)).toEqual(['dropped']);
    expect(fake.callsTo('chat.postMessage').at(-1)!.response).toBeUndefined();

    fake.override({ method: 'chat.postMessage', channel: 'C0DROP', times: 1 }, { kind: 'delay', ms: 300 });
    const slow = await rejection(webClient(fake, { timeout: 50 }).chat.postMessage({ channel: 'C0DROP', text: 'slow' }));
    expect(slow).toBeInstanceOf(webApi.WebAPIRequestError);
    expect((await fake.waitForMessages('C0DROP', 2)).map((m) => m.text)).toEqual(['dropped', 'slow']);
  });

  it('serves auth.test, users.info, team.info and conversations.info, takes JSON bodies and refuses unknown methods', async () => {
    expect(await app.client.auth.test()).toMatchObject({
      ok: true, team_id: 'T000001', user_id: 'U0BOT', bot_id: 'B0BOT', is_enterprise_install: false,
    });
    expect((await app.client.users.info({ user: 'U0ALICE' })).user).toMatchObject({ is_admin: true, is_owner: false });
    expect((await app.client.users.info({ user: 'U0BOB' })).user).toMatchObject({ is_admin: false });
    expect(await platformErrorOf(app.client.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
    expect((await app.client.team.info()).team).toMatchObject({ id: 'T000001' });
    expect((await app.client.conversations.info({ channel: 'C0OLD' })).channel).toMatchObject({ id: 'C0OLD', is_archived: true });

    const json = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0SCRIPT', text: 'json', blocks: [section('json')] }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'C0SCRIPT' });
    expect(fake.callsTo('chat.postMessage').at(-1)!.params).toMatchObject({ blocks: [section('json')] });
    expect(await platformErrorOf(app.client.apiCall('chat.unfurlEverything'))).toBe('unknown_method');
  });
});

describe('FakeSlack content rules', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack({ channelRate: false });
    client = webClient(fake, { logger: silent });
  });
  afterAll(async () => fake?.close());

  const post = (args: Record<string, unknown>): Promise<unknown> => client.apiCall('chat.postMessage', { channel: 'C0NEWS', text: 'fallback', ...args });

  it('refuses blocks and text that break Block Kit limits with the error Slack gives', async () => {
    const header = (text: string): Record<string, unknown> => ({ type: 'header', text: { type: 'plain_text', text } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ blocks: Array.from({ length: 51 }, (_, i) => section(`b${i}`)) }, 'invalid_blocks'],
      [{ blocks: [section('x'.repeat(3001))] }, 'invalid_blocks'],
      [{ blocks: [header('h'.repeat(151))] }, 'invalid_blocks'],
      [{ blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] }, 'invalid_blocks'],
      [{ blocks: [{ type: 'section', text: { type: 'mrkdwn' } }] }, 'invalid_blocks'],
      [{ blocks: [{ type: 'section', text: 'not an object' }] }, 'invalid_blocks'],
      [{ blocks: [section('')] }, 'invalid_blocks'],
      [{ blocks: [{ type: 'carousel' }] }, 'invalid_blocks'],
      [{ blocks: '[{"type":' }, 'invalid_blocks_format'],
      [{ blocks: Array.from({ length: 5 }, () => section('x'.repeat(2500))) }, 'msg_blocks_too_long'],
      [{ text: 'x'.repeat(40_001) }, 'msg_too_long'],
      [{ text: '' }, 'no_text'],
      [{ metadata: '{"event_type":' }, 'invalid_metadata_format'],
      [{ metadata: { event_type: 'x' } }, 'invalid_metadata_schema'],
    ];
    const got: string[] = [];
    for (const [args] of cases) got.push(await platformErrorOf(post(args)));
    expect(got).toEqual(cases.map(([, error]) => error));

    const e = await rejection(post({ blocks: [section('x'.repeat(3001))] }));
    expect((e as InstanceType<typeof webApi.WebAPIPlatformError>).data).toMatchObject({
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
    // The limits themselves are fine.
    await expect(post({ blocks: [header('h'.repeat(150)), ...Array.from({ length: 3 }, () => section('x'.repeat(3000)))] }))
      .resolves.toMatchObject({ ok: true });
    expect(fake.messages('C0NEWS')).toHaveLength(1);
  });

  it('records unescaped channel, here, everyone and user mentions and ignores escaped ones', async () => {
    const pingsBefore = fake.stats.mentionPings;
    await post({ text: 'Breaking &lt;!channel&gt; &lt;@U0ALICE&gt; news' });
    await post({ text: 'safe', blocks: [section('<!here> and <@U0BOB|bob>')] });
    await post({ text: 'heads up @channel', link_names: true });
    await post({ text: '<!everyone>' });
    const mentions = fake.messages('C0NEWS').slice(-4).map((m) => m.mentions);
    expect(mentions).toEqual([[], ['<!here>', '<@U0BOB|bob>'], ['@channel'], ['<!everyone>']]);
    expect(fake.stats.mentionPings - pingsBefore).toBe(3);
  });
});

describe('FakeSlack with Bolt in Socket Mode', () => {
  let fake: FakeSlack;
  let app: App;
  const events = new EventEmitter();

  beforeAll(async () => {
    fake = await startFakeSlack();
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN, clientPingTimeout: 600, logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } },
    });
    app = new App({
      token: BOT_TOKEN, botId: 'B0BOT', botUserId: 'U0BOT', receiver, logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/news', async ({ command, ack, respond }) => {
      await ack({ text: `Fetching ${command.text}` });
      await respond({ text: `News about ${command.text}` });
    });
    app.event('app_uninstalled', async ({ body }) => {
      events.emit('uninstalled', body.team_id);
    });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.waitForSocketsClosed();
    await fake?.close();
  });

  it('connects on app.start() through apps.connections.open with the app token and gets hello', async () => {
    await fake.waitForSocket();
    expect(fake.socketConnections).toBe(1);
    expect(fake.callsTo('apps.connections.open')).toEqual([expect.objectContaining({ authorization: `Bearer ${APP_TOKEN}` })]);
  });

  it('delivers a slash_commands envelope to app.command and resolves with the ack payload', async () => {
    const ack = await fake.sendEnvelope('slash_commands', fake.slashCommandPayload({ text: 'tiktok', responseUrlId: 'sock-1' }));
    expect(ack).toMatchObject({ envelope_id: expect.stringMatching(/^env-/), payload: { text: 'Fetching tiktok' } });
    expect(ack.at).toBeLessThan(1000);
    expect(await fake.waitForResponse('sock-1')).toEqual([{ text: 'News about tiktok' }]);
  });

  it('delivers an events_api envelope to app.event and gets an empty ack', async () => {
    const uninstalled = once(events, 'uninstalled');
    const ack = await fake.sendEnvelope('events_api', fake.eventPayload({ type: 'app_uninstalled' }));
    expect(ack.payload ?? {}).toEqual({});
    expect(await uninstalled).toEqual(['T000001']);
  });

  it('reconnects through a fresh apps.connections.open after a disconnect message and keeps working', async () => {
    fake.disconnectSocket();
    await fake.waitForSocket(2);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    const ack = await fake.sendEnvelope('slash_commands', fake.slashCommandPayload({ text: 'again', responseUrlId: 'sock-2' }));
    expect(ack.payload).toEqual({ text: 'Fetching again' });
    await fake.waitForResponse('sock-2');
  });
});

describe('FakeSlack shutdown', () => {
  it('leaves no sockets or servers open after app.stop() and close()', async () => {
    const kinds = (): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const k of process.getActiveResourcesInfo()) if (k.startsWith('TCP')) out[k] = (out[k] ?? 0) + 1;
      return out;
    };
    const before = kinds();
    const fake = await startFakeSlack();
    const app = new App({
      token: BOT_TOKEN, botId: 'B0BOT', botUserId: 'U0BOT', logLevel: LogLevel.ERROR,
      receiver: new SocketModeReceiver({
        appToken: APP_TOKEN, clientPingTimeout: 600, logLevel: LogLevel.ERROR,
        installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } },
      }),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/news', async ({ ack }) => ack());
    await app.start();
    await fake.sendEnvelope('slash_commands', fake.slashCommandPayload({ text: 'x' }));
    await app.client.chat.postMessage({ channel: 'C0NEWS', text: 'x' });
    await app.stop();
    // Bolt's stop() does not wait for the close handshake.
    await fake.waitForSocketsClosed();
    await fake.close();
    expect(kinds()).toEqual(before);
  });
});
