/** Public types of {@link FakeSlack}; see `../fake-slack.ts` for the entry point. */

/** Options for {@link startFakeSlack}. Every field has a default suited to tests. */
export interface FakeSlackOptions {
  /** Workspace id, default `T000001`. */
  teamId?: string;
  /** The bot's user id, default `U0BOT`. */
  botUserId?: string;
  /** The bot id, default `B0BOT`. */
  botId?: string;
  /** The app id, default `A0APP`. */
  appId?: string;
  /** The only bearer accepted by Web API methods, default `xoxb-test`; others get `invalid_auth`. */
  botToken?: string;
  /** The only bearer accepted by `apps.connections.open`, default `xapp-1-test`. */
  appToken?: string;
  /** Known channels, default `[{ id: 'C0NEWS', name: 'news' }]` (member, not archived). */
  channels?: FakeSlackChannelSpec[];
  /** Known users for `users.info`, default `U0ALICE` (admin) and `U0BOB` (not admin). */
  users?: FakeSlackUserSpec[];
  /**
   * Per-channel token bucket on `chat.postMessage`, default `{ perSecond: 1, burst: 3 }`;
   * `false` turns it off (then `stats.maxPerChannelPerSecond` measures the bot's own pacing).
   */
  channelRate?: { perSecond: number; burst: number } | false;
  /** Default `test-signing-secret`; used by {@link FakeSlack.signRequest} and {@link FakeSlack.postSigned}. */
  signingSecret?: string;
}

/** A channel the fake knows. `isMember` defaults to true, `isArchived` to false, `name` to the id lower-cased. */
export interface FakeSlackChannelSpec {
  id: string;
  name?: string;
  isMember?: boolean;
  isArchived?: boolean;
}

/** A user the fake knows. `name` defaults to the id lower-cased; flags default to false. */
export interface FakeSlackUserSpec {
  id: string;
  name?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
}

/** One Web API request as the fake received it. */
export interface SlackCall {
  /** e.g. `chat.postMessage` */
  readonly method: string;
  /** The raw `Authorization` header, e.g. `Bearer xoxb-test`. */
  readonly authorization: string | undefined;
  /** `content-type` of the request (`application/x-www-form-urlencoded` from WebClient). */
  readonly contentType: string | undefined;
  /**
   * Parameters from the query string and the urlencoded or JSON body. Values are as sent
   * (urlencoded booleans stay `"false"`), except that JSON-string `blocks`, `attachments` and
   * `metadata` are parsed when they are valid JSON.
   */
  readonly params: Readonly<Record<string, unknown>>;
  /** `Date.now()` when the request body had been read. */
  readonly at: number;
  /** Filled in when the fake answers; stays undefined while pending and for dropped connections. */
  readonly response: { readonly status: number; readonly body: unknown } | undefined;
}

/** Message metadata as Slack stores it (https://docs.slack.dev/messaging/message-metadata). */
export interface FakeSlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A visible message, with any `chat.update` applied. */
export interface FakeSlackMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: FakeSlackMetadata | undefined;
  thread_ts?: string;
  /** As sent (`"false"` and `false` both become `false`); undefined when the bot did not send it. */
  unfurl_links: boolean | undefined;
  unfurl_media: boolean | undefined;
  /** Set by `chat.update` or a `replace_original` response. */
  edited?: { user: string; ts: string };
  /** The posting user (the bot). */
  user: string;
  bot_id: string;
  /**
   * Unescaped mention tokens found in the text, blocks and attachments, e.g. `['<!channel>', '<@U0ALICE>']`
   * (plus bare `@channel`/`@here`/`@everyone` when `link_names` was on). Empty means the message pings nobody.
   */
  mentions: string[];
  /** How it got there. */
  via: 'chat.postMessage' | 'response_url';
}

/** An ephemeral message from `chat.postEphemeral` (never in {@link FakeSlack.messages}). */
export interface FakeSlackEphemeral {
  message_ts: string;
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
}

/** Which calls an override applies to. `times` limits how many calls it answers (default: unlimited). */
export interface FakeSlackOverrideMatch {
  method: string;
  /** Matches the `channel` parameter exactly (id or name as the bot sent it). */
  channel?: string;
  times?: number;
}

/**
 * A scripted answer:
 * - `error`: HTTP 200 `{ok:false,error}` (a `WebAPIPlatformError`);
 * - `rateLimit`: HTTP 429, integer `Retry-After`, `{ok:false,error:'ratelimited'}`;
 * - `http`: that status with a short text body (a `WebAPIHTTPError`);
 * - `delay`: wait, then answer normally;
 * - `acceptThenDrop`: perform the call (the message becomes visible), then destroy the connection unanswered.
 */
export type FakeSlackOverrideResponse =
  | { kind: 'error'; error: string }
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  | { kind: 'http'; status: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'acceptThenDrop' };

/** Builds a slash-command payload; everything but `text` has a default. */
export interface SlashCommandOptions {
  /** Default `/news`. */
  command?: string;
  text: string;
  /** Default `U0ALICE`. */
  userId?: string;
  /** Default: the first configured channel. */
  channelId?: string;
  teamId?: string;
  /** Id for the response_url sink; default a fresh `r<N>`. */
  responseUrlId?: string;
  triggerId?: string;
}

/** Builds a `block_actions` payload for a button click. */
export interface BlockActionsOptions {
  actionId: string;
  value?: string;
  blockId?: string;
  /** Button label, default `Button`. */
  buttonText?: string;
  userId?: string;
  channelId?: string;
  teamId?: string;
  responseUrlId?: string;
  triggerId?: string;
  /** The message carrying the button; default the newest visible message in the channel, if any. */
  messageTs?: string;
}

/** One ack received over the Socket Mode connection. */
export interface FakeSlackAck {
  envelope_id: string;
  payload?: unknown;
  /** Milliseconds between sending the envelope and receiving the ack. */
  at: number;
}

/** Envelope types Slack sends over Socket Mode. */
export type FakeSlackEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** Counters for the reliability scenarios (S1, S3). */
export interface FakeSlackStats {
  /** Highest number of ACCEPTED `chat.postMessage` calls to one channel within any sliding 1 s window. */
  maxPerChannelPerSecond: number;
  /** `chat.postMessage` calls to a channel before the `Retry-After` of its last 429 had elapsed. */
  earlyRequests: number;
  /** 429 answers sent (bucket and scripted). */
  rateLimited: number;
  /** Visible messages (posted, edited or sent through a response_url in_channel) that contain a mention. */
  mentionPings: number;
}
