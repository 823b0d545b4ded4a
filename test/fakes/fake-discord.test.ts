import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  PermissionFlagsBits,
  REST,
  RateLimitError,
  Routes,
  type Interaction,
  type RESTOptions,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  autocompleteInteraction,
  chatInputInteraction,
  componentInteraction,
  modalSubmitInteraction,
  startFakeDiscord,
  type FakeDiscord,
} from './fake-discord.js';

const DEADLINE_MS = 400;

function newRest(fake: FakeDiscord, extra: Partial<RESTOptions> = {}, token = fake.token): REST {
  return new REST({ api: fake.apiBase, offset: 0, retries: 0, timeout: 2000, ...extra }).setToken(token);
}

/** Runs `handler` on the client's next interaction and settles with its result. */
function handleNext<T>(client: Client, handler: (i: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    client.once(Events.InteractionCreate, (i) => {
      handler(i).then(resolve, reject);
    });
  });
}

function rawPost(fake: FakeDiscord, path: string, body: unknown, token = fake.token): Promise<Response> {
  return fetch(`${fake.apiBase}/v10${path}`, {
    method: 'POST',
    headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('FakeDiscord against a real discord.js Client', () => {
  let fake: FakeDiscord;
  let client: Client;
  let rest: REST;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      interactionDeadlineMs: DEADLINE_MS,
      channelBucket: { limit: 100, windowMs: 1000 },
      guilds: [{ id: '100', name: 'Test', channels: ['200', '201', '202', '203', '204', '205'].map((id) => ({ id, name: `news-${id}` })) }],
    });
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      waitGuildTimeout: 200,
      rest: { api: fake.apiBase, offset: 0, retries: 0, timeout: 2000 },
    });
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    await fake.waitForReady();
    rest = newRest(fake);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs the client in through GET /gateway/bot, IDENTIFY, READY and GUILD_CREATE', () => {
    const gatewayBot = fake.requests.find((r) => r.path === '/gateway/bot');
    expect(gatewayBot?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(fake.connectedShards).toBe(1);
    expect(client.application?.id).toBe(fake.appId);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.guilds.cache.get('100')?.channels.cache.get('200')?.name).toBe('news-200');
    const identify = fake.frames.find((f) => f.direction === 'in' && f.op === 2);
    expect(identify?.d).toMatchObject({ token: fake.token, intents: GatewayIntentBits.Guilds, shard: [0, 1] });
  });

  it('closes the gateway with 4004 when IDENTIFY carries a wrong token', async () => {
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const [hello] = (await once(ws, 'message')) as [Buffer];
    expect(JSON.parse(hello.toString())).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
    ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('delivers a slash command to interactionCreate with its options and records the reply', async () => {
    const handled = handleNext(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error(`unexpected ${i.type}`);
      await i.reply({ content: `News for ${i.options.getString('query')}`, flags: MessageFlags.Ephemeral });
      return { name: i.commandName, query: i.options.getString('query'), guild: i.guildId, user: i.user.id };
    });
    const rec = await fake.interact(chatInputInteraction({ name: 'news', options: [{ name: 'query', type: 3, value: 'tiktok' }] }));
    expect(await handled).toEqual({ name: 'news', query: 'tiktok', guild: '100', user: '222' });
    expect(rec.callback).toMatchObject({ kind: 'callback', type: 4, status: 204, data: { content: 'News for tiktok', flags: 64 } });
    expect(rec.callback!.at).toBeLessThan(DEADLINE_MS);
    expect(fake.messages('200').some((m) => m.interaction_id === rec.id)).toBe(false); // ephemeral
    const callback = fake.requests.find((r) => r.path === `/interactions/${rec.id}/${rec.token}/callback`);
    expect(callback?.headers.authorization).toBeUndefined();
  });

  it('records deferReply, editReply and followUp in order with their timings', async () => {
    const handled = handleNext(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.deferReply();
      await i.editReply({ embeds: [{ title: 'TikTok ban news', url: 'https://example.com/a', description: 'Summary' }] });
      await i.followUp({ content: 'one more', allowedMentions: { parse: [] } });
    });
    const rec = await fake.interact(chatInputInteraction({ name: 'news', options: [{ name: 'query', type: 3, value: 'tiktok' }] }));
    expect(rec.callback).toMatchObject({ type: 5, status: 204 });
    const final = await rec.waitForFinal();
    await handled;
    expect(final).toMatchObject({ kind: 'editOriginal', status: 200 });
    expect(rec.events.map((e) => e.kind)).toEqual(['callback', 'editOriginal', 'followup']);
    const times = rec.events.map((e) => e.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const visible = fake.messages('200').filter((m) => m.interaction_id === rec.id);
    expect(visible.map((m) => [m.embeds.length, m.content, m.flags])).toEqual([
      [1, '', 0],
      [0, 'one more', 0],
    ]);
  });

  it('refuses a reply after the deadline with 10062 and a second callback with 40060', async () => {
    const received = new Promise<Interaction>((resolve) => client.once(Events.InteractionCreate, resolve));
    const late = await fake.interact(chatInputInteraction({ name: 'news' }));
    expect(late.callback).toBeUndefined(); // interact() settled at the deadline
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('not a command');
    await expect(interaction.reply({ content: 'too late' })).rejects.toMatchObject({ code: 10062, status: 404 });
    expect(late.events[0]).toMatchObject({ kind: 'callback', status: 404, code: 10062 });
    expect(late.events[0]!.at).toBeGreaterThan(DEADLINE_MS);

    const handled = handleNext(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'first' });
    });
    const rec = await fake.interact(chatInputInteraction({ name: 'news' }));
    await handled;
    const again = rest.post(Routes.interactionCallback(rec.id, rec.token), { body: { type: 4, data: { content: 'second' } }, auth: false });
    await expect(again).rejects.toMatchObject({ code: 40060, status: 400 });
  });

  it('builds autocomplete, button, modal and DM interactions that discord.js recognises', async () => {
    const auto = handleNext(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('not autocomplete');
      await i.respond([{ name: 'tiktok', value: 'tiktok' }]);
      return i.options.getFocused();
    });
    const autoRec = await fake.interact(autocompleteInteraction({ name: 'news', focused: { name: 'query', value: 'tik' } }));
    expect(await auto).toBe('tik');
    expect(autoRec.callback).toMatchObject({ type: 8, data: { choices: [{ name: 'tiktok', value: 'tiktok' }] } });

    const button = handleNext(client, async (i) => {
      if (!i.isButton()) throw new Error('not a button');
      await i.update({ content: 'updated' });
      return i.customId;
    });
    const buttonRec = await fake.interact(componentInteraction({ customId: 'more:1' }));
    expect(await button).toBe('more:1');
    expect(buttonRec.callback).toMatchObject({ type: 7, data: { content: 'updated' } });

    const modal = handleNext(client, async (i) => {
      if (!i.isModalSubmit()) throw new Error('not a modal');
      await i.reply({ content: 'saved', flags: MessageFlags.Ephemeral });
      return i.fields.getTextInputValue('query');
    });
    await fake.interact(modalSubmitInteraction({ customId: 'subscribe', fields: { query: 'tiktok' } }));
    expect(await modal).toBe('tiktok');

    const dm = handleNext(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      const response = await i.reply({ content: 'hi', withResponse: true });
      return { inGuild: i.inGuild(), user: i.user.id, reply: response.resource?.message?.content };
    });
    const dmRec = await fake.interact(chatInputInteraction({ name: 'news', dm: true, channelId: '300', user: { id: '333' } }));
    expect(await dm).toEqual({ inGuild: false, user: '333', reply: 'hi' });
    expect(fake.requests.find((r) => r.path === `/interactions/${dmRec.id}/${dmRec.token}/callback`)?.query).toEqual({ with_response: 'true' });
    expect(fake.messages('300').map((m) => m.content)).toEqual(['hi']);
  });

  it('carries member and app permissions, and GET member reports the member permissions', async () => {
    const handled = handleNext(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.reply({ content: 'no', flags: MessageFlags.Ephemeral });
      return [i.memberPermissions?.has(PermissionFlagsBits.ManageChannels), i.appPermissions.has(PermissionFlagsBits.SendMessages)];
    });
    await fake.interact(chatInputInteraction({ name: 'subscribe', user: { id: '444' }, permissions: '0', appPermissions: '0' }));
    expect(await handled).toEqual([false, false]);
    expect(await rest.get(Routes.guildMember('100', '444'))).toMatchObject({ user: { id: '444' }, permissions: '0' });
  });

  it('creates a visible message through REST.post and returns a message object', async () => {
    const created = (await rest.post(Routes.channelMessages('200'), {
      body: { content: 'hi', embeds: [{ title: 'T', url: 'https://example.com/a', color: 43775, timestamp: '2025-01-01T00:00:00.000Z' }] },
    })) as { id: string; channel_id: string; author: { id: string } };
    expect(created).toMatchObject({ channel_id: '200', author: { id: fake.botUserId } });
    const messages = await fake.waitForMessages('200', 1);
    expect(messages.find((m) => m.id === created.id)).toMatchObject({ content: 'hi', edited_timestamp: null });
    const edited = await rest.patch(Routes.channelMessage('200', created.id), { body: { content: 'hi (edited)' } });
    expect(edited).toMatchObject({ content: 'hi (edited)' });
    expect(fake.messages('200').find((m) => m.id === created.id)?.edited_timestamp).not.toBeNull();
    await expect(rest.patch(Routes.channelMessage('200', created.id), { body: { content: '', embeds: [] } })).rejects.toMatchObject({ code: 50006 });
    await rest.delete(Routes.channelMessage('200', created.id));
    expect(fake.messages('200').some((m) => m.id === created.id)).toBe(false);
  });

  it('returns the existing message for a repeated nonce with enforce_nonce', async () => {
    const body = { content: 'story 1', nonce: 'story-1:200', enforce_nonce: true };
    const first = (await rest.post(Routes.channelMessages('205'), { body })) as { id: string };
    const second = (await rest.post(Routes.channelMessages('205'), { body })) as { id: string };
    expect(second.id).toBe(first.id);
    const third = (await rest.post(Routes.channelMessages('205'), { body: { ...body, enforce_nonce: false } })) as { id: string };
    expect(third.id).not.toBe(first.id);
    expect(fake.messages('205').map((m) => m.id)).toEqual([first.id, third.id]);
  });

  it('rejects bodies over Discord limits with 50035 and a Discord-like error tree', async () => {
    const rejected = fake.stats.rejected400;
    const post = (body: unknown): Promise<unknown> => rest.post(Routes.channelMessages('200'), { body });
    const title = await post({ embeds: [{ title: 'x'.repeat(257) }] }).catch((e: unknown) => e);
    expect(title).toBeInstanceOf(DiscordAPIError);
    expect(title).toMatchObject({ code: 50035, status: 400 });
    expect((title as DiscordAPIError).message).toContain('embeds[0].title[BASE_TYPE_MAX_LENGTH]: Must be 256 or fewer in length.');
    await expect(post({ embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] })).rejects.toThrow(
      /embeds\[MAX_EMBED_SIZE_EXCEEDED\]/,
    );
    await expect(post({ embeds: [{ title: 't', url: 'javascript:alert(1)' }] })).rejects.toThrow(/embeds\[0\]\.url\[URL_TYPE_INVALID_URL\]/);
    await expect(post({ content: 'c'.repeat(2001) })).rejects.toThrow(/content\[BASE_TYPE_MAX_LENGTH\]/);
    await expect(post({ embeds: [{ fields: [{ name: 'n', value: '' }] }] })).rejects.toThrow(/fields\[0\]\.value\[BASE_TYPE_REQUIRED\]/);
    await expect(post({ content: 'x', allowed_mentions: { parse: ['users'], users: ['1'] } })).rejects.toMatchObject({ code: 50035 });
    await expect(post({ content: '' })).rejects.toMatchObject({ code: 50006 });
    expect(fake.stats.rejected400 - rejected).toBe(7);
    await expect(post({ content: '🗞'.repeat(2000) })).resolves.toBeTruthy(); // code points, not UTF-16 units
  });

  it('answers 404 Unknown Channel (10003) for a channel it does not know', async () => {
    await expect(rest.post(Routes.channelMessages('404'), { body: { content: 'x' } })).rejects.toMatchObject({
      code: 10003,
      status: 404,
      rawError: { message: 'Unknown Channel', code: 10003 },
    });
  });

  it('answers unknown routes with 404 and requests without the token with 401', async () => {
    const res = await fetch(`${fake.apiBase}/v10/no/such/route`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 0, message: '404: Not Found' });
    expect(res.headers.get('x-ratelimit-limit')).not.toBeNull();
    expect(fake.requests.some((r) => r.path === '/no/such/route' && r.status === 404)).toBe(true);
    const invalid = fake.stats.invalidRequests;
    const anon = await fetch(`${fake.apiBase}/v10/users/@me`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ code: 0, message: '401: Unauthorized' });
    expect(fake.stats.invalidRequests).toBe(invalid + 1);
  });

  it('plays scripted 403, 401 and 5xx answers to the caller as discord.js errors', async () => {
    const invalid = fake.stats.invalidRequests;
    fake.override({ method: 'POST', path: '/channels/:id/messages', times: 1 }, { kind: 'error', status: 403, code: 50013, message: 'Missing Permissions' });
    await expect(rest.post(Routes.channelMessages('202'), { body: { content: 'x' } })).rejects.toMatchObject({ code: 50013, status: 403 });
    const throwaway = newRest(fake);
    fake.override({ path: '/channels/202', times: 1 }, { kind: 'error', status: 401, code: 0, message: '401: Unauthorized' });
    await expect(throwaway.get(Routes.channel('202'))).rejects.toMatchObject({ status: 401, code: 0 });
    await expect(newRest(fake, {}, 'wrong-token').get(Routes.user())).rejects.toMatchObject({ status: 401 });
    expect(fake.stats.invalidRequests - invalid).toBe(3);
    fake.override({ method: 'POST', path: /^\/channels\/202\/messages$/, times: 1 }, { kind: 'http', status: 502 });
    const err = await rest.post(Routes.channelMessages('202'), { body: { content: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HTTPError);
    expect(err).toMatchObject({ status: 502 });
    expect(fake.messages('202')).toEqual([]);
  });

  it('handles a delayed request after the client gave up, and the nonce retry finds it', async () => {
    const impatient = newRest(fake, { timeout: 100 });
    fake.override({ method: 'POST', path: '/channels/203/messages', times: 1 }, { kind: 'delay', ms: 300 });
    const body = { content: 'slow story', nonce: 'slow-story', enforce_nonce: true };
    await expect(impatient.post(Routes.channelMessages('203'), { body })).rejects.toMatchObject({ name: 'AbortError' });
    const [stored] = await fake.waitForMessages('203', 1);
    const retried = (await rest.post(Routes.channelMessages('203'), { body })) as { id: string };
    expect(retried.id).toBe(stored!.id);
    expect(fake.messages('203')).toHaveLength(1);
  });

  it('acceptThenDrop creates the message but drops the response; a nonce retry does not duplicate it', async () => {
    fake.override({ method: 'POST', path: '/channels/204/messages', times: 1 }, { kind: 'acceptThenDrop' });
    const body = { content: 'dropped story', nonce: 'dropped-story', enforce_nonce: true };
    await expect(rest.post(Routes.channelMessages('204'), { body })).rejects.toBeInstanceOf(Error);
    expect(fake.messages('204')).toHaveLength(1);
    const dropped = fake.requests.filter((r) => r.path === '/channels/204/messages');
    expect(dropped.map((r) => r.status)).toEqual([undefined]);
    const retried = (await rest.post(Routes.channelMessages('204'), { body })) as { id: string };
    expect(fake.messages('204').map((m) => m.id)).toEqual([retried.id]);
  });

  it('has discord.js honour a scripted 429: the retry comes after retry_after and is not early', async () => {
    const early = fake.stats.earlyRequests;
    const from = fake.requests.length;
    fake.override({ method: 'POST', path: '/channels/:id/messages', times: 1 }, { kind: 'rateLimit', retryAfterSeconds: 0.2 });
    await rest.post(Routes.channelMessages('201'), { body: { content: 'after a 429' } });
    const hits = fake.requests.slice(from).filter((r) => r.path === '/channels/201/messages');
    expect(hits.map((r) => r.status)).toEqual([429, 200]);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(200);

    fake.override({ path: '/users/@me', times: 1 }, { kind: 'rateLimit', retryAfterSeconds: 0.15, global: true });
    const from2 = fake.requests.length;
    await rest.get(Routes.user());
    const userHits = fake.requests.slice(from2).filter((r) => r.path === '/users/@me');
    expect(userHits.map((r) => r.status)).toEqual([429, 200]);
    expect(userHits[1]!.at - userHits[0]!.at).toBeGreaterThanOrEqual(150);
    expect(fake.stats.earlyRequests).toBe(early);
  });

  it('gives RateLimitError with rejectOnRateLimit, and counts and refuses a request that ignores it', async () => {
    const strict = newRest(fake, { rejectOnRateLimit: ['/channels'] });
    fake.override({ method: 'POST', path: '/channels/201/messages', times: 1 }, { kind: 'rateLimit', retryAfterSeconds: 1, bucket: 'msgs' });
    const err = await strict.post(Routes.channelMessages('201'), { body: { content: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ retryAfter: 1000, global: false, scope: 'user', method: 'POST' });

    const early = fake.stats.earlyRequests;
    const res = await rawPost(fake, '/channels/201/messages', { content: 'too soon' });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-bucket')).toBe('msgs');
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(1);
    expect(fake.stats.earlyRequests).toBe(early + 1);
  });

  it('counts an @everyone without allowed_mentions as a ping, but not with parse: []', async () => {
    const pings = fake.stats.mentionPings;
    await rest.post(Routes.channelMessages('200'), { body: { content: '@everyone breaking news' } });
    expect(fake.stats.mentionPings).toBe(pings + 1);
    await rest.post(Routes.channelMessages('200'), { body: { content: '@everyone <@&5> <@6>', allowed_mentions: { parse: [] } } });
    await rest.post(Routes.channelMessages('200'), { body: { embeds: [{ description: '<@&5>' }], allowed_mentions: { parse: ['users'] } } });
    expect(fake.stats.mentionPings).toBe(pings + 1);
    await rest.post(Routes.channelMessages('200'), { body: { content: 'hi <@6>', allowed_mentions: { users: ['6'] } } });
    expect(fake.stats.mentionPings).toBe(pings + 2);
  });

  it('round-trips guild command registration and refuses invalid names with 50035', async () => {
    const body = [
      {
        name: 'news',
        description: 'Latest news',
        type: 1,
        options: [{ type: 3, name: 'query', description: 'Topic', required: true }],
      },
      { name: 'subscribe', description: 'Subscribe this channel', default_member_permissions: '16' },
    ];
    const stored = (await rest.put(Routes.applicationGuildCommands(fake.appId, '100'), { body })) as Array<{ id: string; name: string }>;
    expect(stored).toMatchObject([
      { name: 'news', application_id: fake.appId, guild_id: '100', default_member_permissions: null },
      { name: 'subscribe', default_member_permissions: '16', type: 1 },
    ]);
    expect(fake.commands('100')).toEqual(stored);
    expect(await rest.get(Routes.applicationGuildCommands(fake.appId, '100'))).toEqual(stored);
    const again = (await rest.put(Routes.applicationGuildCommands(fake.appId, '100'), { body })) as Array<{ id: string }>;
    expect(again.map((c) => c.id)).toEqual(stored.map((c) => c.id));
    expect(fake.commands()).toEqual([]);
    const bad = rest.put(Routes.applicationGuildCommands(fake.appId, '100'), { body: [{ name: 'News', description: 'x' }] });
    await expect(bad).rejects.toThrow(/0\.name\[APPLICATION_COMMAND_INVALID_NAME\]/);
  });

  it('resumes after op 7, a resumable op 9 and a 4000 close, replaying an interaction dispatched while disconnected', async () => {
    const resumed = once(client, Events.ShardResume);
    fake.requestReconnect();
    await resumed;
    expect(fake.frames.filter((f) => f.direction === 'in' && f.op === 6)).toHaveLength(1);

    const resumedInPlace = once(client, Events.ShardResume);
    fake.invalidSession(true);
    await resumedInPlace;
    expect(fake.frames.filter((f) => f.direction === 'in' && f.op === 6)).toHaveLength(2);

    const resumedAgain = once(client, Events.ShardResume);
    const received = new Promise<Interaction>((resolve) => client.once(Events.InteractionCreate, resolve));
    fake.closeGateway(4000);
    const rec = fake.interact(chatInputInteraction({ name: 'news' }));
    await resumedAgain;
    const interaction = await received;
    expect(interaction.id).toBe((await rec).id);
    expect(fake.connectedShards).toBe(1);
  });
});

describe('FakeDiscord rate limits', () => {
  it('answers 429 with every header once the per-channel bucket is spent, and discord.js paces itself by the headers', async () => {
    const fake = await startFakeDiscord({
      channelBucket: { limit: 2, windowMs: 300 },
      guilds: [{ id: '100', channels: [{ id: '200' }, { id: '201' }] }],
    });
    try {
      const responses = await Promise.all([1, 2, 3].map((n) => rawPost(fake, '/channels/200/messages', { content: `burst ${n}` })));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 429]);
      const limited = responses.find((r) => r.status === 429)!;
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
      expect(limited.headers.get('x-ratelimit-reset-after')).toBe(limited.headers.get('retry-after'));
      expect(limited.headers.get('x-ratelimit-global')).toBeNull();
      expect(await limited.json()).toMatchObject({ message: 'You are being rate limited.', global: false });
      expect(fake.stats.invalidRequests).toBe(1);

      const rest = newRest(fake);
      const started = Date.now();
      await Promise.all([1, 2, 3, 4, 5].map((n) => rest.post(Routes.channelMessages('201'), { body: { content: `paced ${n}` } })));
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 300 - 50);
      expect(fake.stats.invalidRequests).toBe(1);
      expect(fake.stats.earlyRequests).toBe(0);
      expect(fake.messages('201').map((m) => m.content)).toEqual(['paced 1', 'paced 2', 'paced 3', 'paced 4', 'paced 5']);
    } finally {
      await fake.close();
    }
  });

  it('answers a global 429 past the per-second limit and reports the busiest sliding second', async () => {
    const fake = await startFakeDiscord({ globalRateLimitPerSecond: 3 });
    try {
      const get = (): Promise<Response> => fetch(`${fake.apiBase}/v10/users/@me`, { headers: { authorization: `Bot ${fake.token}` } });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await get());
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      const limited = statuses[3]!;
      expect(limited.headers.get('x-ratelimit-global')).toBe('true');
      expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
      expect(await limited.json()).toMatchObject({ global: true });
      expect(fake.stats.maxGlobalPerSecond).toBe(4);
      const again = await get();
      expect(again.status).toBe(429);
      expect(fake.stats.earlyRequests).toBe(1);
    } finally {
      await fake.close();
    }
  });
});

describe('FakeDiscord cleanup', () => {
  it('lets a process that used a client and the fake exit by itself', async () => {
    const script = `
      import { Client, GatewayIntentBits, REST, Routes } from 'discord.js';
      import { startFakeDiscord, chatInputInteraction } from './test/fakes/fake-discord.ts';
      const fake = await startFakeDiscord();
      const client = new Client({ intents: [GatewayIntentBits.Guilds], waitGuildTimeout: 200, rest: { api: fake.apiBase, offset: 0, retries: 0, timeout: 2000 } });
      client.on('interactionCreate', (i) => { if (i.isChatInputCommand()) void i.reply({ content: 'ok' }); });
      await client.login(fake.token);
      await fake.waitForReady();
      await (await fake.interact(chatInputInteraction({ name: 'news' }))).waitForFinal();
      await new REST({ api: fake.apiBase }).setToken(fake.token).post(Routes.channelMessages('200'), { body: { content: 'x' } });
      await client.destroy();
      await fake.close();
      console.log('closed');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../../', import.meta.url),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    clearTimeout(killer);
    expect({ code, signal, out: out.trim() }).toEqual({ code: 0, signal: null, out: 'closed' });
  });
});
