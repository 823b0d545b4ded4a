/** Public types of {@link FakeDiscord}; see `../fake-discord.ts` for the entry point. */
import type { IncomingHttpHeaders } from 'node:http';

/** A channel of a configured guild. `type` defaults to 0 (GUILD_TEXT), `name` to `channel-<id>`. */
export interface FakeDiscordChannelSpec {
  id: string;
  name?: string;
  type?: number;
}

/** A guild the bot is in. `name` defaults to `guild-<id>`. */
export interface FakeDiscordGuildSpec {
  id: string;
  name?: string;
  channels: FakeDiscordChannelSpec[];
}

/** Options for {@link startFakeDiscord}. Every field has a default suited to tests. */
export interface FakeDiscordOptions {
  /** Application id, default `'111'`; READY carries it as `application.id`. */
  appId?: string;
  /** The bot's user id, default `'999'`. */
  botUserId?: string;
  /**
   * The only accepted bot token, default `'fake-bot-token'`. REST wants `Authorization: Bot <token>`
   * (anything else: 401 `{code:0, message:'401: Unauthorized'}`); IDENTIFY with another token: close 4004.
   */
  token?: string;
  /** Guilds and their channels, default one guild `'100'` with one text channel `'200'`. */
  guilds?: FakeDiscordGuildSpec[];
  /** HELLO's `heartbeat_interval`, default 41250 ms. */
  heartbeatIntervalMs?: number;
  /**
   * Default 3000 ms. A callback later than this after INTERACTION_CREATE was dispatched gets 404
   * `{code:10062, message:'Unknown interaction'}`; a second callback for one interaction gets 400
   * `{code:40060}`.
   */
  interactionDeadlineMs?: number;
  /**
   * Requests per sliding second allowed for bot-token requests, default 50. Interaction callbacks
   * and interaction webhooks are exempt, as on Discord. Over the limit: a global 429.
   */
  globalRateLimitPerSecond?: number;
  /**
   * The per-channel bucket of `POST /channels/:id/messages`, default 5 per 5000 ms. It is a fixed
   * window starting at the first request; over the limit: a `user`-scoped 429.
   */
  channelBucket?: { limit: number; windowMs: number };
}

/** A file part of a multipart body. */
export interface RecordedFile {
  /** The part's `filename`. */
  name: string;
  contentType?: string;
  bytes: Buffer;
}

/** One REST request as the fake received it. */
export interface RecordedRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path without `/api/v10` and without the query, percent-decoded per segment (`%40original` → `@original`). */
  path: string;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (or `payload_json` of a multipart body); `undefined` when there was none or it was not JSON. */
  json: unknown;
  /** The files of a multipart body (discord.js sends attachments so), in order. */
  files: RecordedFile[];
  /** Arrival time, epoch ms (`Date.now()`). */
  at: number;
  /** The status the fake answered; `undefined` while in flight and for `acceptThenDrop`. */
  status?: number;
  /** The rate-limit headers of the answer (`retry-after`, `x-ratelimit-*`), once answered. */
  responseHeaders?: Record<string, string>;
}

/** A message as the fake stores it: visible ones are returned by {@link FakeDiscord.messages}. */
export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  /** As sent; `null` when absent. */
  nonce: string | number | null;
  /** As sent; `undefined` when absent (which means "ping everything mentioned"). */
  allowed_mentions: unknown;
  /** ISO time of the last edit, `null` if never edited. */
  edited_timestamp: string | null;
  /** ISO creation time. */
  timestamp: string;
  /** Message flags; 64 = ephemeral (never visible in a channel), 128 = loading (a deferred reply not yet edited). */
  flags: number;
  /** Set for interaction responses and follow-ups. */
  interaction_id: string | null;
}

/**
 * A scripted answer for {@link FakeDiscord.override}.
 *
 * - `error`: a Discord JSON error, e.g. 403 `{code:50013, message:'Missing Permissions'}`.
 * - `rateLimit`: a 429 with `Retry-After`, `X-RateLimit-*` (and `X-RateLimit-Global` when global) and
 *   the body `{message, retry_after, global}`. The route's bucket (or everything, when global) is then
 *   blocked for `retryAfterSeconds`: requests arriving earlier count in `stats.earlyRequests` and get
 *   another 429. `scope` defaults to `global` when `global`, else `user`; `shared` ones do not count as
 *   invalid requests. `bucket` sets the `X-RateLimit-Bucket` hash the route reports from then on.
 * - `delay`: waits, then handles the request normally (it still takes effect if the client gave up).
 * - `http`: any status with an optional JSON body, e.g. 502 with no body.
 * - `acceptThenDrop`: handles the request normally (a created message is visible) and then destroys
 *   the socket without answering.
 */
export type ScriptedResponse =
  | { kind: 'error'; status: number; code: number; message: string }
  | {
      kind: 'rateLimit';
      retryAfterSeconds: number;
      global?: boolean;
      scope?: 'user' | 'shared' | 'global';
      bucket?: string;
    }
  | { kind: 'delay'; ms: number }
  | { kind: 'http'; status: number; body?: unknown }
  | { kind: 'acceptThenDrop' };

/**
 * Which requests an override applies to. `path` is compared with {@link RecordedRequest.path}:
 * a string matches exactly, except that a segment starting with `:` matches any one segment
 * (`'/channels/:id/messages'`); a RegExp is tested against it. `method` is case-insensitive and
 * defaults to any. `times` limits the uses (default unlimited).
 */
export interface OverrideMatch {
  method?: string;
  path: string | RegExp;
  times?: number;
}

/** What the bot sent about one interaction; see {@link InteractionRecord.events}. */
export interface InteractionEvent {
  kind:
    | 'callback'
    | 'getOriginal'
    | 'editOriginal'
    | 'deleteOriginal'
    | 'followup'
    | 'getFollowup'
    | 'editFollowup'
    | 'deleteFollowup';
  /** The callback type for `callback` events (4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete, 9 modal). */
  type?: number;
  /** The request's JSON body (`data` of a callback), `undefined` if none. */
  data: unknown;
  /** Milliseconds after INTERACTION_CREATE was dispatched. */
  at: number;
  /** The status the fake answered. */
  status: number;
  /** Discord's error code when the fake refused it (e.g. 10062, 40060, 50035). */
  code?: number;
  /** The message created or addressed, when there is one. */
  messageId?: string;
}

/** A live record of one dispatched interaction: it keeps collecting the bot's answers. */
export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE `d` as dispatched. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Dispatch time, epoch ms. */
  readonly dispatchedAt: number;
  /** The first accepted callback, if any yet. */
  readonly callback: InteractionEvent | undefined;
  /** Every callback/webhook request about this interaction, accepted or refused, in arrival order. */
  readonly events: readonly InteractionEvent[];
  /** Resolves at the first matching event (already recorded or future). Default timeout 5000 ms. */
  waitFor(pred: (e: InteractionEvent) => boolean, timeoutMs?: number): Promise<InteractionEvent>;
  /** Resolves at the first callback request, accepted or not. */
  waitForCallback(timeoutMs?: number): Promise<InteractionEvent>;
  /**
   * Resolves at the answer the user finally sees: the first accepted callback of type 4, 7, 8 or 9,
   * or the first accepted PATCH of `@original` after an accepted type 5 or 6.
   */
  waitForFinal(timeoutMs?: number): Promise<InteractionEvent>;
}

/** One gateway frame, in either direction. */
export interface GatewayFrame {
  direction: 'in' | 'out';
  op: number;
  t: string | null;
  s: number | null;
  d: unknown;
  /** Epoch ms. */
  at: number;
}

/** Counters for the reliability figures (RELIABILITY.md D1-D4). */
export interface FakeDiscordStats {
  /** Responses with 401, 403 or 429, except 429s of scope `shared` (Discord's invalid-request count). */
  invalidRequests: number;
  /** Requests that arrived on a bucket (or, for a global block, anywhere) before its `retry_after` elapsed. */
  earlyRequests: number;
  /** The most bot-token requests seen in any sliding 1 s window. */
  maxGlobalPerSecond: number;
  /** Created messages that would have pinged someone (see {@link FakeDiscord.stats}). */
  mentionPings: number;
  /** Responses with status 400. */
  rejected400: number;
}

/** A running fake; see `../fake-discord.ts` for an overview. */
export interface FakeDiscord {
  /** `http://127.0.0.1:PORT/api`: pass as `rest.api` / `DISCORD_API_URL` (discord.js appends `/v10`). */
  readonly apiBase: string;
  /** `ws://127.0.0.1:PORT/gateway`, what `GET /gateway/bot` returns. */
  readonly gatewayUrl: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly token: string;
  /** Every REST request, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Resolves with the first request matching `pred`, already received or future. Default timeout 5000 ms. */
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Visible messages in a channel, oldest first, with edits applied (copies). Ephemeral ones are never visible. */
  messages(channelId: string): FakeMessage[];
  /** Resolves once the channel has at least `count` visible messages. Default timeout 5000 ms. */
  waitForMessages(channelId: string, count: number, timeoutMs?: number): Promise<FakeMessage[]>;
  /** Registered application commands as the fake returned them: global, or of one guild. */
  commands(guildId?: string): unknown[];
  /** Scripts the answer to matching requests; the first matching override wins. */
  override(match: OverrideMatch, response: ScriptedResponse): void;
  clearOverrides(): void;
  /**
   * The permissions bitfield `GET /guilds/:g/members/:user` reports (as `permissions`, which real
   * Discord only puts on interaction members). Interactions dispatched with a member set it too.
   */
  setMemberPermissions(guildId: string, userId: string, permissions: string): void;

  /** Open gateway connections that completed IDENTIFY or RESUME. */
  readonly connectedShards: number;
  /** Every gateway frame, both directions, oldest first. */
  readonly frames: readonly GatewayFrame[];
  /** Resolves with the first frame matching `pred`, already seen or future. Default timeout 5000 ms. */
  waitForFrame(pred: (f: GatewayFrame) => boolean, timeoutMs?: number): Promise<GatewayFrame>;
  /** Resolves when a client has IDENTIFYed (or resumed) and got READY plus a GUILD_CREATE per guild. */
  waitForReady(timeoutMs?: number): Promise<void>;
  /**
   * Dispatches a gateway event to every session (queued for replay if a session is between
   * connections). For INTERACTION_CREATE use {@link FakeDiscord.interact}.
   */
  dispatch(event: string, data: unknown): void;
  /**
   * Dispatches INTERACTION_CREATE to the newest session and resolves with its live record when the
   * bot's first callback arrives, or when `interactionDeadlineMs` passes without one. `interaction`
   * needs string `id` and `token` (the fixture builders supply them); a missing `application_id` is
   * filled in. Throws if no client has ever become ready.
   */
  interact(interaction: object): Promise<InteractionRecord>;
  /** Closes every gateway connection with `code`; 4004, 4007, 4009 and 4010-4014 also end the sessions. */
  closeGateway(code: number): void;
  /** Sends op 7 RECONNECT on every connection. */
  requestReconnect(): void;
  /** Sends op 9 INVALID_SESSION; when not `resumable` the sessions end and a RESUME is refused. */
  invalidSession(resumable: boolean): void;

  /**
   * Counters for the reliability figures. A created message (channel message, interaction reply or
   * follow-up, or the first edit of a deferred reply) counts as a mention ping when its content or
   * embeds mention `@everyone`/`@here`, `<@id>`/`<@!id>` or `<@&id>` and `allowed_mentions` is absent
   * or allows that mention (`parse` has `everyone`/`users`/`roles`, or `users`/`roles` list the id).
   * Counting embeds is stricter than Discord, where embeds never ping.
   */
  readonly stats: Readonly<FakeDiscordStats>;
  /** Terminates gateway clients, destroys keep-alive sockets, rejects pending waits and closes the server. */
  close(): Promise<void>;
}
