/**
 * FakeSlack: Slack's Web API, a response_url sink and a Socket Mode server on one loopback port,
 * strict enough to catch a bot breaking Slack's rules (see PLATFORM-TESTING.md §4–5, RELIABILITY.md S1–S3, I1, I2).
 *
 * ```ts
 * const fake = await startFakeSlack({ channels: [{ id: 'C0NEWS', name: 'news' }] });
 * const app = new App({ token: 'xoxb-test', botId: 'B0BOT', botUserId: 'U0BOT',
 *   receiver: new HTTPReceiver({ signingSecret: 'test-signing-secret', unhandledRequestTimeoutMillis: 300 }),
 *   clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } });
 * await fake.postSigned(`${botUrl}/slack/events`, fake.slashCommandBody({ text: 'tiktok', responseUrlId: 'c1' }));
 * await fake.waitForResponse('c1');                       // what respond() sent
 * fake.override({ method: 'chat.postMessage', times: 1 }, { kind: 'rateLimit', retryAfterSeconds: 1 });
 * fake.messages('C0NEWS'); fake.stats.earlyRequests;
 * await app.stop(); await fake.close();
 * ```
 * Rules enforced on chat.postMessage / chat.update: channel known (`channel_not_found`), not archived
 * (`is_archived`), bot is a member (`not_in_channel`), content present (`no_text`), text ≤ 40,000
 * (`msg_too_long`), Block Kit shape and limits (`invalid_blocks`, `invalid_blocks_format`), ≤ 12,000 characters
 * of block text (`msg_blocks_too_long`), metadata shape (`invalid_metadata_format`/`_schema`), and the
 * per-channel token bucket (429 + integer `Retry-After`; calls arriving inside a Retry-After are answered
 * 429 again and, once past a 100 ms in-flight grace, counted in `stats.earlyRequests`).
 */
import { FakeSlackServer } from './fake-slack/server.js';
import type {
  BlockActionsOptions, FakeSlackAck, FakeSlackChannelSpec, FakeSlackEnvelopeType, FakeSlackEphemeral, FakeSlackMessage,
  FakeSlackOptions, FakeSlackOverrideMatch, FakeSlackOverrideResponse, FakeSlackStats, SlackCall, SlashCommandOptions,
} from './fake-slack/types.js';

export type * from './fake-slack/types.js';
export { findMentions, validateBlocks } from './fake-slack/blocks.js';
export { signSlackRequest } from './fake-slack/payloads.js';

/** A running fake Slack; see the module comment for an example. */
export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`, for Bolt's `clientOptions.slackApiUrl` / `SLACK_API_URL`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT/socket` (apps.connections.open adds `?ticket=…&app_id=…` like Slack). */
  readonly socketUrl: string;

  /** Every Web API call, oldest first, including refused and scripted ones. */
  readonly calls: readonly SlackCall[];
  /** Calls to one method, oldest first. */
  callsTo(method: string): SlackCall[];
  /** The first call (past or future) matching `pred`; rejects after `timeoutMs` (default 5000). */
  waitForCall(pred: (c: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;

  /** Visible messages of a channel (by id), oldest first, thread replies included, edits applied; a copy. */
  messages(channel: string): FakeSlackMessage[];
  /** Resolves with `messages(channel)` once it holds at least `count`; rejects after `timeoutMs` (default 5000). */
  waitForMessages(channel: string, count: number, timeoutMs?: number): Promise<FakeSlackMessage[]>;
  /** Ephemeral messages from chat.postEphemeral in a channel. */
  ephemerals(channel: string): FakeSlackEphemeral[];
  /** Adds a channel or changes one (e.g. archive it, or remove the bot) while a test runs. */
  setChannel(spec: FakeSlackChannelSpec): void;

  /**
   * Scripts the answer to matching calls. First match (in the order added) wins; `times` limits uses.
   * Scripted answers come before the auth check and the rate limit; a scripted 429 also starts the
   * channel's Retry-After window. `retryAfterSeconds` must be a whole number.
   */
  override(match: FakeSlackOverrideMatch, response: FakeSlackOverrideResponse): void;
  /** Removes every script. */
  clearOverrides(): void;

  /** `http://127.0.0.1:PORT/response/<id>` for a payload's `response_url`; a fresh id when omitted. */
  responseUrl(id?: string): string;
  /** JSON bodies accepted at that response_url, in order (failed attempts are not included). */
  responses(id: string): unknown[];
  /** Every post to that response_url with the status the sink answered. */
  responseAttempts(id: string): Array<{ status: number; body: unknown }>;
  /** Resolves with `responses(id)` once it holds at least `count` (default 1); rejects after `timeoutMs`. */
  waitForResponse(id: string, count?: number, timeoutMs?: number): Promise<unknown[]>;
  /**
   * Makes that response_url answer `status` from now on (404 gives Bolt's `RespondError`). Without
   * this, the sink answers `200 ok`, `400` for bad JSON / bad blocks / no text, and `404 used_url`
   * after five uses, as Slack does.
   */
  failResponses(id: string, status: number): void;

  /** `x-slack-request-timestamp` and `x-slack-signature` for a raw body (defaults: now, the configured secret). */
  signRequest(rawBody: string, timestampSeconds?: number, secret?: string): Record<string, string>;
  /** POSTs a signed body with the right content-type (JSON if it starts with `{`, else urlencoded). */
  postSigned(url: string, rawBody: string, o?: { timestampSeconds?: number; secret?: string }): Promise<Response>;
  /** A slash command's fields (strings), as Slack puts them in a Socket Mode `slash_commands` payload. */
  slashCommandPayload(o: SlashCommandOptions): Record<string, string>;
  /** The same as the urlencoded form Slack POSTs in HTTP mode. */
  slashCommandBody(o: SlashCommandOptions): string;
  /** A `block_actions` payload for a button click (Socket Mode `interactive`). */
  blockActionsPayload(o: BlockActionsOptions): Record<string, unknown>;
  /** The same as the `payload=<json>` form Slack POSTs in HTTP mode. */
  blockActionsBody(o: BlockActionsOptions): string;
  /** An `event_callback` wrapping `event` (e.g. `{type:'app_uninstalled'}`), as in a Socket Mode `events_api` payload. */
  eventPayload(event: object): Record<string, unknown>;
  /** The same as the JSON body Slack POSTs in HTTP mode. */
  eventBody(event: object): string;
  /** A `url_verification` JSON body. */
  urlVerificationBody(challenge: string): string;

  /** Socket Mode connections greeted with `hello` since start (a reconnect makes it 2). */
  readonly socketConnections: number;
  /** Socket Mode connections open now. */
  readonly openSockets: number;
  /** Every Socket Mode ack received, in order. */
  readonly acks: readonly FakeSlackAck[];
  /** Resolves once `count` (default 1) connections have had `hello` and one is open; rejects after `timeoutMs`. */
  waitForSocket(count?: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolves once no Socket Mode connection is open. Bolt 5.1's `app.stop()` in Socket Mode returns
   * before the WebSocket close handshake ends, so await this between `app.stop()` and `close()`.
   */
  waitForSocketsClosed(timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope to the newest connection and resolves with the client's ack (`at` = ms from
   * send to ack). Rejects if the socket closes first or after `timeoutMs` (default 5000), so await it.
   */
  sendEnvelope(type: FakeSlackEnvelopeType, payload: object, timeoutMs?: number): Promise<FakeSlackAck>;
  /** Sends `{type:'disconnect', reason}` (default `refresh_requested`); Bolt then reconnects. */
  disconnectSocket(reason?: string): void;
  /** Cuts every Socket Mode connection without a close handshake. */
  dropSockets(): void;

  /** A snapshot of the reliability counters. */
  readonly stats: FakeSlackStats;
  /** Rejects pending waits, terminates Socket Mode clients, destroys every socket and closes the server. Idempotent. */
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1 with an ephemeral port. Start it before `new App()` (Bolt may call auth.test at once). */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackServer(opts);
  await fake.listen();
  return fake;
}

