/**
 * The workspace state (channels, users, messages) and the Web API methods that read and change it.
 * Replies mirror Slack: HTTP 200 with `{ok:true,...}` or `{ok:false,error}`; 429 for rate limits.
 */
import { findMentions, MAX_TEXT, parseMetadata, validateBlocks, type ContentError } from './blocks.js';
import type { ChannelRateLimiter } from './rate-limit.js';
import type {
  FakeSlackChannelSpec, FakeSlackEphemeral, FakeSlackMessage, FakeSlackMetadata, FakeSlackUserSpec,
} from './types.js';

/** An HTTP answer: JSON unless `body` is a string. */
export interface ApiReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** Identity and credentials of the fake workspace. */
export interface WorkspaceIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
  botToken: string;
  appToken: string;
}

interface ChannelState {
  id: string;
  name: string;
  isMember: boolean;
  isArchived: boolean;
}

interface Content {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: FakeSlackMetadata | undefined;
}

type Params = Readonly<Record<string, unknown>>;

const TEAM_NAME = 'Newshound Test';
const TEAM_DOMAIN = 'newshound-test';

function ok(body: Record<string, unknown> = {}): ApiReply {
  return { status: 200, body: { ok: true, ...body } };
}

/**
 * Slack's error shape. `detail` goes to `errors`; for block errors Slack also repeats it in
 * `response_metadata.messages` (which WebClient logs at error level).
 */
export function platformError(error: string, detail?: string): ApiReply {
  const blockError = error === 'invalid_blocks' || error === 'invalid_blocks_format';
  const extra = detail === undefined ? {} : { errors: [detail], ...(blockError ? { response_metadata: { messages: [`[ERROR] ${detail}`] } } : {}) };
  return { status: 200, body: { ok: false, error, ...extra } };
}

/** A 429 with an integer Retry-After: web-api reads it with parseInt (PLATFORM-TESTING.md §4). */
export function rateLimitedReply(retryAfterSeconds: number): ApiReply {
  return { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: { ok: false, error: 'ratelimited' } };
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return v === true || v === 1 || v === 'true' || v === '1';
}

function isError(v: object): v is ContentError {
  return 'error' in v;
}

function parseJsonArray(v: unknown): unknown[] | 'bad' | undefined {
  if (v === undefined || v === '') return undefined;
  let parsed = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      return 'bad';
    }
  }
  return Array.isArray(parsed) ? parsed : 'bad';
}

/** Reads text/blocks/attachments/metadata and applies Slack's content rules. */
export function readContent(params: Params, required: boolean): Content | ContentError {
  const text = str(params.text);
  const blocks = parseJsonArray(params.blocks);
  if (blocks === 'bad') return { error: 'invalid_blocks_format', detail: 'blocks must be a JSON array' };
  const attachments = parseJsonArray(params.attachments);
  if (attachments === 'bad') return { error: 'invalid_attachments', detail: 'attachments must be a JSON array' };
  if (required && !text && !blocks?.length && !attachments?.length) return { error: 'no_text', detail: 'text, blocks or attachments required' };
  if (text !== undefined && text.length > MAX_TEXT) return { error: 'msg_too_long', detail: `${text.length} characters of text` };
  if (blocks !== undefined) {
    const bad = validateBlocks(blocks);
    if (bad) return bad;
  }
  let metadata: FakeSlackMetadata | undefined;
  if (params.metadata !== undefined && params.metadata !== '') {
    const m = parseMetadata(params.metadata);
    if (isError(m)) return m;
    metadata = m.metadata;
  }
  return { text, blocks, attachments, metadata };
}

/** Channels, users, messages and ts allocation. */
export class Workspace {
  readonly channels = new Map<string, ChannelState>();
  readonly users = new Map<string, Required<FakeSlackUserSpec>>();
  private readonly messagesByChannel = new Map<string, FakeSlackMessage[]>();
  private readonly ephemeralsByChannel = new Map<string, FakeSlackEphemeral[]>();
  private lastMicros = 0;

  constructor(
    readonly id: WorkspaceIdentity,
    channels: FakeSlackChannelSpec[],
    users: FakeSlackUserSpec[],
    private readonly limiter: ChannelRateLimiter,
    private readonly changed: () => void,
  ) {
    for (const c of channels) {
      this.channels.set(c.id, { id: c.id, name: c.name ?? c.id.toLowerCase(), isMember: c.isMember ?? true, isArchived: c.isArchived ?? false });
    }
    for (const u of users) {
      this.users.set(u.id, { id: u.id, name: u.name ?? u.id.toLowerCase(), isAdmin: u.isAdmin ?? false, isOwner: u.isOwner ?? false });
    }
  }

  /** A unique, increasing ts in Slack's `seconds.micros` form, from the wall clock. */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    return `${Math.floor(this.lastMicros / 1e6)}.${String(this.lastMicros % 1e6).padStart(6, '0')}`;
  }

  /** Accepts an id, a name or `#name`, as chat.postMessage does. */
  channel(ref: unknown): ChannelState | undefined {
    const s = str(ref);
    if (s === undefined) return undefined;
    const byId = this.channels.get(s);
    if (byId) return byId;
    const name = s.startsWith('#') ? s.slice(1) : s;
    return [...this.channels.values()].find((c) => c.name === name);
  }

  /** The rate-limit key of a call: the channel id when known, else the raw parameter. */
  rateKey(params: Params): string | undefined {
    return this.channel(params.channel)?.id ?? str(params.channel);
  }

  messages(channel: string): FakeSlackMessage[] {
    return structuredClone(this.messagesByChannel.get(channel) ?? []);
  }

  ephemerals(channel: string): FakeSlackEphemeral[] {
    return structuredClone(this.ephemeralsByChannel.get(channel) ?? []);
  }

  messageCount(channel: string): number {
    return this.messagesByChannel.get(channel)?.length ?? 0;
  }

  find(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.messagesByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /** Appends a visible message and counts pings. */
  addMessage(channel: string, content: Content, extra: { thread_ts?: string; unfurl_links?: boolean; unfurl_media?: boolean; linkNames: boolean; via: FakeSlackMessage['via'] }): FakeSlackMessage {
    const msg: FakeSlackMessage = {
      ts: this.nextTs(), channel, text: content.text ?? '', blocks: content.blocks, attachments: content.attachments,
      metadata: content.metadata, unfurl_links: extra.unfurl_links, unfurl_media: extra.unfurl_media,
      user: this.id.botUserId, bot_id: this.id.botId, mentions: findMentions(content, extra.linkNames), via: extra.via,
      ...(extra.thread_ts === undefined ? {} : { thread_ts: extra.thread_ts }),
    };
    if (msg.mentions.length > 0) this.limiter.stats.mentionPings += 1;
    const list = this.messagesByChannel.get(channel) ?? [];
    list.push(msg);
    this.messagesByChannel.set(channel, list);
    this.changed();
    return msg;
  }

  /** Applies an edit; undefined fields keep their old value (chat.update semantics). */
  editMessage(msg: FakeSlackMessage, content: Content, linkNames: boolean): void {
    if (content.text !== undefined) msg.text = content.text;
    if (content.blocks !== undefined) msg.blocks = content.blocks;
    if (content.attachments !== undefined) msg.attachments = content.attachments;
    if (content.metadata !== undefined) msg.metadata = content.metadata;
    msg.edited = { user: this.id.botUserId, ts: this.nextTs() };
    msg.mentions = findMentions(msg, linkNames);
    if (msg.mentions.length > 0) this.limiter.stats.mentionPings += 1;
    this.changed();
  }

  deleteMessage(channel: string, ts: string): boolean {
    const list = this.messagesByChannel.get(channel) ?? [];
    const i = list.findIndex((m) => m.ts === ts);
    if (i < 0) return false;
    list.splice(i, 1);
    this.changed();
    return true;
  }

  /** The message object Slack returns for a bot post. */
  wire(msg: FakeSlackMessage, withMetadata: boolean): Record<string, unknown> {
    return {
      type: 'message', user: msg.user, bot_id: msg.bot_id, app_id: this.id.appId, text: msg.text, ts: msg.ts, team: this.id.teamId,
      bot_profile: { id: msg.bot_id, app_id: this.id.appId, name: 'newshound', deleted: false, team_id: this.id.teamId },
      ...(msg.blocks === undefined ? {} : { blocks: msg.blocks }),
      ...(msg.attachments === undefined ? {} : { attachments: msg.attachments }),
      ...(msg.thread_ts === undefined ? {} : { thread_ts: msg.thread_ts }),
      ...(msg.edited === undefined ? {} : { edited: msg.edited }),
      ...(withMetadata && msg.metadata !== undefined ? { metadata: msg.metadata } : {}),
    };
  }

  channelInfo(c: ChannelState): Record<string, unknown> {
    return {
      id: c.id, name: c.name, name_normalized: c.name, is_channel: true, is_group: false, is_im: false, is_mpim: false,
      is_private: false, is_archived: c.isArchived, is_general: false, is_member: c.isMember, is_shared: false,
      is_ext_shared: false, is_org_shared: false, created: 1_600_000_000, creator: 'U0ALICE', context_team_id: this.id.teamId,
    };
  }

  addEphemeral(e: FakeSlackEphemeral): void {
    const list = this.ephemeralsByChannel.get(e.channel) ?? [];
    list.push(e);
    this.ephemeralsByChannel.set(e.channel, list);
    this.changed();
  }
}

/** Bearer check: bot token for everything but apps.connections.open, which takes the app-level token. */
function checkAuth(ws: Workspace, method: string, authorization: string | undefined, params: Params): ApiReply | undefined {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? str(params.token);
  if (!token) return platformError('not_authed');
  const wanted = method === 'apps.connections.open' ? ws.id.appToken : ws.id.botToken;
  const other = method === 'apps.connections.open' ? ws.id.botToken : ws.id.appToken;
  if (token === wanted) return undefined;
  return platformError(token === other ? 'not_allowed_token_type' : 'invalid_auth');
}

type Handler = (ws: Workspace, p: Params, extra: { socketUrl: () => string }) => ApiReply;

/** Channel gate for posting: https://docs.slack.dev/reference/methods/chat.postMessage#errors */
function postable(ws: Workspace, p: Params): ChannelState | ApiReply {
  const c = ws.channel(p.channel);
  if (!c) return platformError('channel_not_found');
  if (c.isArchived) return platformError('is_archived');
  if (!c.isMember) return platformError('not_in_channel');
  return c;
}

function isReply(v: object): v is ApiReply {
  return 'status' in v;
}

const handlers: Record<string, Handler> = {
  'auth.test': (ws) => ok({
    url: `https://${TEAM_DOMAIN}.slack.com/`, team: TEAM_NAME, user: 'newshound', team_id: ws.id.teamId,
    user_id: ws.id.botUserId, bot_id: ws.id.botId, is_enterprise_install: false,
  }),
  'apps.connections.open': (_ws, _p, extra) => ok({ url: extra.socketUrl() }),
  'team.info': (ws) => ok({ team: { id: ws.id.teamId, name: TEAM_NAME, domain: TEAM_DOMAIN, email_domain: '', icon: { image_default: true } } }),
  'users.info': (ws, p) => {
    const id = str(p.user) ?? '';
    if (id === ws.id.botUserId) {
      return ok({ user: { id, team_id: ws.id.teamId, name: 'newshound', deleted: false, is_bot: true, is_admin: false, is_owner: false,
        profile: { bot_id: ws.id.botId, api_app_id: ws.id.appId } } });
    }
    const u = ws.users.get(id);
    if (!u) return platformError('user_not_found');
    return ok({ user: {
      id: u.id, team_id: ws.id.teamId, name: u.name, real_name: u.name, deleted: false, is_bot: false, is_app_user: false,
      is_admin: u.isAdmin, is_owner: u.isOwner, is_primary_owner: false, is_restricted: false, is_ultra_restricted: false,
      tz: 'UTC', profile: { real_name: u.name, display_name: u.name },
    } });
  },
  'conversations.info': (ws, p) => {
    const c = ws.channel(p.channel);
    return c ? ok({ channel: ws.channelInfo(c) }) : platformError('channel_not_found');
  },
  'conversations.join': (ws, p) => {
    const c = ws.channel(p.channel);
    if (!c) return platformError('channel_not_found');
    if (c.isArchived) return platformError('is_archived');
    const already = c.isMember;
    c.isMember = true;
    return ok({ channel: ws.channelInfo(c), ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}) });
  },
  'conversations.history': (ws, p) => {
    const c = ws.channel(p.channel);
    if (!c) return platformError('channel_not_found');
    if (!c.isMember) return platformError('not_in_channel');
    const limit = Math.min(999, Math.max(1, Number(str(p.limit) ?? 100) || 100));
    const inclusive = bool(p.inclusive) ?? false;
    const oldest = Number(str(p.oldest) ?? 0);
    const latest = str(p.latest) === undefined ? Infinity : Number(str(p.latest));
    const cursor = str(p.cursor);
    const before = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace(/^next_ts:/, '')) : Infinity;
    // History lists channel-level messages only; thread replies live in conversations.replies.
    const all = ws.messages(c.id)
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
      .filter((m) => {
        const t = Number(m.ts);
        return (inclusive ? t >= oldest : t > oldest) && (inclusive ? t <= latest : t < latest) && t < before;
      })
      .reverse();
    const page = all.slice(0, limit);
    const hasMore = all.length > limit;
    const last = page[page.length - 1];
    return ok({
      messages: page.map((m) => ws.wire(m, bool(p.include_all_metadata) ?? false)),
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore && last ? Buffer.from(`next_ts:${last.ts}`).toString('base64') : '' },
    });
  },
  'chat.postMessage': (ws, p) => {
    const c = postable(ws, p);
    if (isReply(c)) return c;
    const content = readContent(p, true);
    if (isError(content)) return platformError(content.error, content.detail);
    const threadTs = str(p.thread_ts);
    const linkNames = bool(p.link_names) === true || str(p.parse) === 'full';
    const msg = ws.addMessage(c.id, content, {
      linkNames, via: 'chat.postMessage', unfurl_links: bool(p.unfurl_links), unfurl_media: bool(p.unfurl_media),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    });
    return ok({ channel: c.id, ts: msg.ts, message: ws.wire(msg, true) });
  },
  'chat.update': (ws, p) => {
    const c = ws.channel(p.channel);
    if (!c) return platformError('channel_not_found');
    const msg = ws.find(c.id, str(p.ts) ?? '');
    if (!msg) return platformError('message_not_found');
    if (c.isArchived) return platformError('is_archived');
    const content = readContent(p, false);
    if (isError(content)) return platformError(content.error, content.detail);
    if (content.text === undefined && content.blocks === undefined && content.attachments === undefined && content.metadata === undefined) {
      return platformError('no_text');
    }
    ws.editMessage(msg, content, bool(p.link_names) === true || str(p.parse) === 'full');
    return ok({ channel: c.id, ts: msg.ts, text: msg.text, message: ws.wire(msg, true) });
  },
  'chat.delete': (ws, p) => {
    const c = ws.channel(p.channel);
    if (!c) return platformError('channel_not_found');
    const ts = str(p.ts) ?? '';
    return ws.deleteMessage(c.id, ts) ? ok({ channel: c.id, ts }) : platformError('message_not_found');
  },
  // Opening a modal: recorded in `calls` (with the view); the test plays the user's submission.
  'views.open': (ws, p) => {
    if (!str(p.trigger_id)) return platformError('invalid_arguments');
    const view = typeof p.view === 'string' ? (JSON.parse(p.view) as Record<string, unknown>) : (p.view as Record<string, unknown> | undefined);
    if (view === undefined) return platformError('invalid_arguments');
    return ok({ view: { id: `V${ws.nextTs().replace('.', '')}`, ...view } });
  },
  'chat.postEphemeral': (ws, p) => {
    const c = postable(ws, p);
    if (isReply(c)) return c;
    const user = str(p.user);
    if (!user || !ws.users.has(user)) return platformError('user_not_in_channel');
    const content = readContent(p, true);
    if (isError(content)) return platformError(content.error, content.detail);
    const messageTs = ws.nextTs();
    ws.addEphemeral({ message_ts: messageTs, channel: c.id, user, text: content.text ?? '', blocks: content.blocks });
    return ok({ message_ts: messageTs });
  },
};

/**
 * Runs one Web API call after scripted overrides: unknown method, auth, chat.postMessage's
 * per-channel limit (a call still inside a previous Retry-After, as found by
 * `ChannelRateLimiter.checkEarly`, is answered 429 again), then the method.
 */
export function handleWebApi(
  ws: Workspace,
  limiter: ChannelRateLimiter,
  call: { method: string; authorization: string | undefined; params: Params; earlyRetryAfter: number | undefined },
  socketUrl: () => string,
): ApiReply {
  const handler = handlers[call.method];
  if (!handler) return platformError('unknown_method');
  const denied = checkAuth(ws, call.method, call.authorization, call.params);
  if (denied) return denied;
  if (call.method === 'chat.postMessage') {
    const key = ws.rateKey(call.params);
    if (key !== undefined) {
      if (call.earlyRetryAfter !== undefined) {
        limiter.stats.rateLimited += 1;
        return rateLimitedReply(call.earlyRetryAfter);
      }
      const retryAfter = limiter.take(key);
      if (retryAfter !== undefined) {
        limiter.noteRateLimited(key, retryAfter);
        return rateLimitedReply(retryAfter);
      }
    }
    const reply = handler(ws, call.params, { socketUrl });
    if (reply.status === 200 && key !== undefined && (reply.body as { ok?: unknown }).ok === true) limiter.noteAccepted(key);
    return reply;
  }
  return handler(ws, call.params, { socketUrl });
}
