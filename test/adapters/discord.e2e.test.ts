import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barHeights } from '../../src/core/chart-png.js';
import { createLogger } from '../../src/log.js';
import { deployCommands } from '../../src/modes/deploy-commands.js';
import { start } from '../../src/modes/start.js';
import { ALL_MEMBER_PERMISSIONS, autocompleteInteraction, chatInputInteraction, componentInteraction, modalSubmitInteraction, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { items, rss } from '../support/rss.js';
import { testConfig } from '../support/runtime.js';
import { waitUntil } from '../support/wait.js';

let feeds: FakeFeeds;
let discord: FakeDiscord;
let app: { port: number; stop(): Promise<void> };

const lead =
  'Microsoft hat Gespräche über eine Übernahme des US-Geschäfts der Video-App TikTok bestätigt. Der Konzern wolle die Verhandlungen bis spätestens 15. September abschließen, teilte Microsoft am Sonntag mit.';

beforeAll(async () => {
  feeds = await startFakeFeeds();
  discord = await startFakeDiscord({ guilds: [{ id: '100', channels: [{ id: '200', name: 'tech-watch' }] }] });
  const now = new Date();
  feeds.setFeed('/a.xml', rss('Agentur A', items('a', 3, now)));
  feeds.setFeed('/b.xml', rss('Zeitung B', items('b', 3, now)));
  const feedsFile = join(mkdtempSync(join(tmpdir(), 'nh-discord-')), 'feeds.json');
  writeFileSync(
    feedsFile,
    JSON.stringify([
      { url: feeds.url('/a.xml'), name: 'Agentur A', language: 'de', intervalSeconds: 1 },
      { url: feeds.url('/b.xml'), name: 'Zeitung B', language: 'de', intervalSeconds: 1 },
    ]),
  );
  const config = testConfig({ FEEDS_FILE: feedsFile, DISCORD_TOKEN: discord.token, DISCORD_APP_ID: discord.appId, DISCORD_API_URL: discord.apiBase, DISCORD_DEV_GUILD_ID: '100' });
  expect(await deployCommands(config, () => undefined)).toBe(0);
  app = await start(config, createLogger({ level: 'silent', pretty: false }), 'all', { stdin: new PassThrough(), write: () => undefined, interactive: false });
  await discord.waitForReady();
});

afterAll(async () => {
  await app.stop();
  await discord.close();
  await feeds.close();
});

/** A member's usual permissions plus Manage Channels (1 << 4). */
const MANAGER = String(BigInt(ALL_MEMBER_PERMISSIONS) | 16n);

const subscribeInteraction = (topics: string, extra: Record<string, string> = {}) =>
  chatInputInteraction({
    name: 'news-alerts',
    guildId: '100',
    channelId: '200',
    permissions: MANAGER,
    options: [{ type: 1, name: 'subscribe', options: [{ type: 3, name: 'topics', value: topics }] }],
    ...extra,
  });

describe('Discord, end to end: real discord.js client, Redis and BullMQ', () => {
  it('registers /news and /news-alerts (management needs Manage Channels)', () => {
    const commands = discord.commands('100') as Array<{ name: string; default_member_permissions?: string }>;
    expect(commands.map((c) => c.name).sort()).toEqual(['news', 'news-alerts']);
    expect(commands.find((c) => c.name === 'news-alerts')?.default_member_permissions).toBe('16');
  });

  it('subscribes the channel from an interaction, deferring within the 3-second window', async () => {
    const record = await discord.interact(subscribeInteraction('tiktok OR bytedance'));
    expect(record.callback).toMatchObject({ type: 5, status: 204 });
    expect(record.callback!.at).toBeLessThan(1000);
    const final = await record.waitForFinal();
    expect(JSON.stringify(final.data)).toContain('bytedance OR tiktok: subscribed');
  });

  it('posts exactly one alert for a German story and edits it when a second outlet reports it', async () => {
    await waitUntil(() => feeds.requestCount('/a.xml') >= 2 && feeds.requestCount('/b.xml') >= 2, 'baseline polls of both feeds');
    const now = new Date();
    feeds.setFeed('/a.xml', rss('Agentur A', [{ title: 'Microsoft bestätigt Interesse an TikTok', link: 'https://a.example/tiktok?utm_source=rss', pubDate: now, description: lead }, ...items('a', 3, now)]));
    const [message] = await discord.waitForMessages('200', 1, 20_000);
    const embed = (message!.embeds as Array<Record<string, unknown>>)[0]!;
    expect(embed).toMatchObject({
      title: 'Microsoft bestätigt Interesse an TikTok',
      url: 'https://a.example/tiktok?utm_source=rss',
      author: { name: 'Agentur A' },
      fields: expect.arrayContaining([{ name: 'Matched', value: 'tiktok', inline: true }]),
    });
    expect(String(embed.description)).toContain('Microsoft hat Gespräche');
    expect(message!.allowed_mentions).toEqual({ parse: [] });
    const post = discord.requests.find((r) => r.method === 'POST' && r.path === '/channels/200/messages')!;
    expect(post.json).toMatchObject({ enforce_nonce: true, nonce: expect.any(String) });

    feeds.setFeed('/b.xml', rss('Zeitung B', [{ title: 'TikTok: Microsoft will US-Geschäft kaufen', link: 'https://b.example/kauf', pubDate: now, description: lead }, ...items('b', 3, now)]));
    await discord.waitForRequest((r) => r.method === 'PATCH' && r.path === `/channels/200/messages/${message!.id}`, 20_000);
    const [edited] = discord.messages('200');
    expect(String((edited!.embeds as Array<Record<string, unknown>>)[0]!.description)).toContain('Also reported by Zeitung B');
    expect(discord.messages('200')).toHaveLength(1);
    expect(discord.stats.mentionPings).toBe(0);
  });

  it('counts that story in /metrics: stored, matched, one delivery queued per outlet, posted once, edited once', async () => {
    const metric = (text: string, name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    const text = await waitUntil(async () => {
      const t = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
      return metric(t, 'newshound_alerts_total{platform="discord",result="edited"}') === 1 ? t : undefined;
    }, 'the edit in the metrics');
    expect(metric(text, 'newshound_alerts_total{platform="discord",result="posted"}')).toBe(1);
    expect(metric(text, 'newshound_deliveries_queued_total{platform="discord"}')).toBe(2);
    expect(metric(text, 'newshound_matched_stories_total')).toBe(2);
    expect(metric(text, 'newshound_stories_total')).toBeGreaterThanOrEqual(2);
    expect(metric(text, 'newshound_feed_to_alert_seconds_count{platform="discord"}')).toBe(1);
    expect(metric(text, 'newshound_polls_total{outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('newshound_alert_failures_total{');
  });

  it('answers /news query:tiktok privately with the stored story and a share button', async () => {
    const record = await discord.interact(chatInputInteraction({ name: 'news', guildId: '100', channelId: '200', options: [{ type: 3, name: 'query', value: 'tiktok' }] }));
    expect(record.callback).toMatchObject({ type: 5, data: { flags: 64 } });
    const final = await record.waitForFinal();
    const body = final.data as { content: string; embeds: Array<{ title: string }>; components: Array<{ components: Array<{ custom_id: string }> }> };
    expect(body.embeds.map((e) => e.title)).toContain('TikTok: Microsoft will US-Geschäft kaufen');
    expect(body.components[0]!.components[0]!.custom_id).toMatch(/^nh:post-to-channel:/);
  });

  it('answers stats with the numbers in text and a bar chart of alerts per day attached as a PNG', async () => {
    const before = discord.requests.length;
    const record = await discord.interact(chatInputInteraction({ name: 'news-alerts', guildId: '100', channelId: '200', user: { id: '333', username: 'bea' }, options: [{ type: 1, name: 'stats' }] }));
    const final = (await record.waitForFinal()).data as { content: string; embeds: Array<{ title?: string; image?: { url: string } }> };
    expect(final.content).toMatch(/Alerts per day .*total 1/);
    const chart = final.embeds.find((e) => e.image !== undefined);
    expect(chart?.image?.url).toBe('attachment://alerts-7d.png');
    const upload = discord.requests.slice(before).find((r) => r.files.length > 0);
    expect(upload?.files.map((f) => f.name)).toEqual(['alerts-7d.png']);
    // One alert today, none on the 6 days before: only the last bar stands.
    const heights = barHeights(upload!.files[0]!.bytes, 7);
    expect(heights.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(heights[6]).toBeGreaterThan(50);
  });

  it('refuses subscribe to a member without Manage Channels, privately, and stores nothing', async () => {
    const record = await discord.interact(subscribeInteraction('volcano', { permissions: '0' }));
    const final = await record.waitForFinal();
    expect(JSON.stringify(final.data)).toContain('Manage Channels');
    const list = await discord.interact(chatInputInteraction({ name: 'news-alerts', guildId: '100', channelId: '200', options: [{ type: 1, name: 'list' }] }));
    expect(JSON.stringify((await list.waitForFinal()).data)).not.toContain('volcano');
  });

  it('refuses subscribe where the bot itself may not post', async () => {
    const record = await discord.interact(subscribeInteraction('volcano', { appPermissions: String(1n << 10n) }));
    expect(JSON.stringify((await record.waitForFinal()).data)).toMatch(/missing SendMessages, EmbedLinks/);
  });

  it('offers autocomplete for unsubscribe from the channel’s topics', async () => {
    const record = await discord.interact(
      autocompleteInteraction({
        name: 'news-alerts',
        guildId: '100',
        channelId: '200',
        options: [{ type: 1, name: 'unsubscribe', options: [{ type: 3, name: 'topic', value: 'tik', focused: true }] }],
      }),
    );
    expect(record.callback).toMatchObject({ type: 8, data: { choices: [{ name: '#1 bytedance OR tiktok', value: '1' }] } });
  });

  it('puts feedback buttons under the alert: members get an explanation, managers mute and exclude', async () => {
    const [alert] = discord.messages('200');
    const buttons = (alert!.components as Array<{ components: Array<{ custom_id: string; label: string }> }>)[0]!.components;
    expect(buttons.map((b) => b.label)).toEqual(['Mute story', 'Mute this source', 'Exclude a word…']);
    const muteSource = buttons[1]!.custom_id;
    const clusterId = muteSource.split(':').at(-1)!;

    const refused = await discord.interact(componentInteraction({ customId: muteSource, guildId: '100', channelId: '200', messageId: alert!.id, permissions: ALL_MEMBER_PERMISSIONS }));
    expect(JSON.stringify((await refused.waitForFinal()).data)).toContain('Only people who may manage');

    const muted = await discord.interact(componentInteraction({ customId: muteSource, guildId: '100', channelId: '200', messageId: alert!.id, permissions: MANAGER }));
    expect(muted.callback).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(JSON.stringify((await muted.waitForFinal()).data)).toContain('Muted Agentur A for #1 bytedance OR tiktok');

    const exclude = await discord.interact(componentInteraction({ customId: buttons[2]!.custom_id, guildId: '100', channelId: '200', messageId: alert!.id, permissions: MANAGER }));
    expect(exclude.callback).toMatchObject({ type: 9, data: { custom_id: `nh:fbx:${clusterId}` } });
    const submitted = await discord.interact(modalSubmitInteraction({ customId: `nh:fbx:${clusterId}`, fields: { word: 'dance' }, guildId: '100', channelId: '200', permissions: MANAGER }));
    expect(JSON.stringify((await submitted.waitForFinal()).data)).toContain('Stories containing \\"dance\\" no longer alert here');
    const list = await discord.interact(chatInputInteraction({ name: 'news-alerts', guildId: '100', channelId: '200', permissions: MANAGER, options: [{ type: 1, name: 'list' }] }));
    expect(JSON.stringify((await list.waitForFinal()).data)).toContain('-dance');
  });
});
