/**
 * FakeDiscord: a local, strict stand-in for Discord's REST API (v10) and gateway, for adapter,
 * delivery and end-to-end tests. The real discord.js `Client` logs in to it and the real `REST`
 * posts to it; nothing leaves 127.0.0.1.
 *
 * ```ts
 * const fake = await startFakeDiscord({ interactionDeadlineMs: 500 });
 * const client = new Client({
 *   intents: [GatewayIntentBits.Guilds],
 *   waitGuildTimeout: 200,
 *   rest: { api: fake.apiBase, offset: 0, retries: 0, timeout: 2000 },
 * });
 * await client.login(fake.token);
 * await fake.waitForReady();
 *
 * const rec = await fake.interact(chatInputInteraction({ name: 'news', options: [{ name: 'query', type: 3, value: 'tiktok' }] }));
 * rec.callback?.type;               // 5 if the bot deferred
 * await rec.waitForFinal();         // its editReply
 *
 * fake.override({ method: 'POST', path: '/channels/:id/messages', times: 1 }, { kind: 'rateLimit', retryAfterSeconds: 0.2 });
 * await fake.waitForMessages('200', 1);
 * fake.stats;                       // invalidRequests, earlyRequests, maxGlobalPerSecond, mentionPings, rejected400
 * await client.destroy();
 * await fake.close();
 * ```
 *
 * Strictness: message bodies are validated against Discord's documented limits (400 50035 with a
 * Discord-shaped `errors` tree), unknown channels are 404 10003, bot routes need the token, every
 * response carries `X-RateLimit-*` headers and every 429 carries `Retry-After`. Interaction
 * callbacks honour the deadline and single-acknowledgement rules. Not modelled: channel permission
 * overwrites and roles (use overrides for 403s), files beyond `payload_json`, gateway compression,
 * more than one shard, the server-side heartbeat timeout.
 */
export { startFakeDiscord } from './fake-discord/server.js';
export {
  ALL_MEMBER_PERMISSIONS,
  autocompleteInteraction,
  chatInputInteraction,
  componentInteraction,
  modalSubmitInteraction,
  type CommandOption,
  type InteractionContext,
} from './fake-discord/fixtures.js';
export type {
  FakeDiscord,
  FakeDiscordChannelSpec,
  FakeDiscordGuildSpec,
  FakeDiscordOptions,
  FakeDiscordStats,
  FakeMessage,
  GatewayFrame,
  InteractionEvent,
  InteractionRecord,
  OverrideMatch,
  RecordedRequest,
  ScriptedResponse,
} from './fake-discord/types.js';
