/** The HTTP plumbing of FakeDiscord: one server for REST and the gateway upgrade, recording, overrides. */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Gateway } from './gateway.js';
import { LiveInteraction } from './interactions.js';
import { RateLimits, type RateLimited, type RouteLimit } from './rate-limits.js';
import { matchRoute } from './routes.js';
import { DiscordState, discordError, type Reply } from './state.js';
import type {
  RecordedFile,
  FakeDiscord,
  FakeDiscordOptions,
  FakeDiscordStats,
  FakeMessage,
  GatewayFrame,
  InteractionRecord,
  OverrideMatch,
  RecordedRequest,
  ScriptedResponse,
} from './types.js';
import { Conditions, Sleeper, isRecord, str } from './util.js';

const DEFAULT_WAIT_MS = 5000;
const API_PREFIX = '/api/v10';
/** Every route but message create reports (and enforces) this bucket. */
const DEFAULT_BUCKET = { limit: 50, windowMs: 1000 };
const MAX_BODY_BYTES = 26 * 1024 * 1024;

interface Override {
  method: string | undefined;
  matches: (path: string) => boolean;
  remaining: number;
  response: ScriptedResponse;
}

function pathMatcher(path: string | RegExp): (p: string) => boolean {
  if (path instanceof RegExp) return (p) => path.test(p);
  const want = path.split('/');
  return (p) => {
    const got = p.split('/');
    return got.length === want.length && want.every((w, i) => (w.startsWith(':') && got[i] !== '') || w === got[i]);
  };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** JSON, or a multipart body's `payload_json` part and its files (how discord.js sends files). `invalid` when unparseable. */
async function parseBody(req: IncomingMessage, raw: Buffer): Promise<{ json: unknown; invalid: boolean; files: RecordedFile[] }> {
  if (raw.length === 0) return { json: undefined, invalid: false, files: [] };
  const type = req.headers['content-type'] ?? '';
  let text = raw.toString('utf8');
  const files: RecordedFile[] = [];
  if (type.startsWith('multipart/form-data')) {
    // The platform's own multipart parser (undici's Response.formData).
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const payload = form.get('payload_json');
    if (payload === null) return { json: undefined, invalid: false, files: [] };
    text = typeof payload === 'string' ? payload : await payload.text();
    for (const [, value] of form) {
      if (typeof value !== 'string') files.push({ name: value.name, ...(value.type ? { contentType: value.type } : {}), bytes: Buffer.from(await value.arrayBuffer()) });
    }
  } else if (!type.startsWith('application/json')) return { json: undefined, invalid: false, files };
  try {
    return { json: JSON.parse(text) as unknown, invalid: false, files };
  } catch {
    return { json: undefined, invalid: true, files };
  }
}

class FakeDiscordServer implements FakeDiscord {
  readonly appId: string;
  readonly botUserId: string;
  readonly token: string;
  readonly requests: RecordedRequest[] = [];
  readonly stats: FakeDiscordStats = { invalidRequests: 0, earlyRequests: 0, maxGlobalPerSecond: 0, mentionPings: 0, rejected400: 0 };
  #port = 0;
  readonly #server = createServer((req, res) => void this.#handle(req, res));
  readonly #sockets = new Set<Socket>();
  readonly #conditions = new Conditions();
  readonly #sleeper = new Sleeper();
  readonly #overrides: Override[] = [];
  readonly #state: DiscordState;
  readonly #limits: RateLimits;
  readonly #gateway: Gateway;
  readonly #channelBucket: { limit: number; windowMs: number };
  #closed = false;

  constructor(opts: FakeDiscordOptions) {
    this.appId = opts.appId ?? '111';
    this.botUserId = opts.botUserId ?? '999';
    this.token = opts.token ?? 'fake-bot-token';
    this.#channelBucket = opts.channelBucket ?? { limit: 5, windowMs: 5000 };
    this.#state = new DiscordState(
      {
        appId: this.appId,
        botUserId: this.botUserId,
        interactionDeadlineMs: opts.interactionDeadlineMs ?? 3000,
        guilds: opts.guilds ?? [{ id: '100', name: 'Newshound Test', channels: [{ id: '200', name: 'news' }] }],
      },
      this.stats,
      this.#conditions,
    );
    this.#limits = new RateLimits(opts.globalRateLimitPerSecond ?? 50, this.stats);
    this.#gateway = new Gateway({
      token: this.token,
      appId: this.appId,
      gatewayUrl: () => this.gatewayUrl,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
      botUser: this.#state.botUser,
      guilds: this.#state.guildCreates(),
      conditions: this.#conditions,
    });
    this.#server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/gateway') return socket.destroy();
      this.#gateway.handleUpgrade(req, socket, head);
    });
  }

  async listen(): Promise<void> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }

  get connectedShards(): number {
    return this.#gateway.connectedShards;
  }

  get frames(): readonly GatewayFrame[] {
    return this.#gateway.frames;
  }

  // ---- REST ----

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = (req.method ?? 'GET').toUpperCase();
    const versioned = url.pathname.startsWith(`${API_PREFIX}/`);
    const rawPath = versioned ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const segments = rawPath.split('/').filter(Boolean).map(decodeSegment);
    const path = `/${segments.join('/')}`;
    let body: Awaited<ReturnType<typeof parseBody>>;
    try {
      body = await parseBody(req, await readBody(req));
    } catch {
      req.socket.destroy();
      return;
    }
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      json: body.json,
      files: body.files,
      at: Date.now(),
    };
    this.requests.push(record);
    this.#conditions.changed();

    const match = versioned ? matchRoute(method, segments) : undefined;
    const authed = req.headers.authorization === `Bot ${this.token}`;
    const limit: RouteLimit = {
      template: match ? `${method} /${match.def.pattern.join('/')}` : `${method} ${path.replace(/\/\d{5,}(?=\/|$)/g, '/:id')}`,
      major: match ? match.def.major(match.params) : '',
      ...(match?.def.channelBucket ? this.#channelBucket : DEFAULT_BUCKET),
      global: (match?.def.auth ?? true) && authed,
    };
    this.#limits.arrive(limit);

    let drop = false;
    const scripted = this.#takeOverride(method, path);
    if (scripted?.kind === 'delay') {
      if (!(await this.#sleeper.sleep(scripted.ms))) return;
    } else if (scripted?.kind === 'acceptThenDrop') drop = true;
    else if (scripted) return this.#sendScripted(res, record, limit, scripted);

    let reply: Reply;
    let limited: RateLimited | null = null;
    if (match?.def.auth === true && !authed) reply = discordError(401, 0, '401: Unauthorized');
    else if (body.invalid) reply = discordError(400, 50109, 'The request body contains invalid JSON.');
    else if ((limited = this.#limits.take(limit))) reply = this.#rateLimitReply(limited);
    else if (!match) reply = discordError(404, 0, '404: Not Found');
    else {
      reply = match.def.handle({ params: match.params, json: body.json, query: record.query, state: this.#state, gatewayUrl: this.gatewayUrl });
    }
    if (drop) {
      req.socket.destroy();
      return;
    }
    this.#send(res, record, reply, this.#limits.headers(limit, limited ?? undefined), limited?.scope);
  }

  #rateLimitReply(l: RateLimited): Reply {
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: Math.ceil(l.retryAfterMs) / 1000, global: l.global },
    };
  }

  #sendScripted(res: ServerResponse, record: RecordedRequest, limit: RouteLimit, s: Exclude<ScriptedResponse, { kind: 'delay' | 'acceptThenDrop' }>): void {
    if (s.kind === 'rateLimit') {
      const scope = s.scope ?? (s.global ? 'global' : 'user');
      const limited: RateLimited = { retryAfterMs: s.retryAfterSeconds * 1000, global: s.global ?? false, scope };
      this.#limits.block(limit, limited.retryAfterMs, limited.global, s.bucket);
      return this.#send(res, record, this.#rateLimitReply(limited), this.#limits.headers(limit, limited), scope);
    }
    const reply: Reply = s.kind === 'error' ? discordError(s.status, s.code, s.message) : { status: s.status, body: s.body };
    this.#send(res, record, reply, this.#limits.headers(limit));
  }

  #send(res: ServerResponse, record: RecordedRequest, reply: Reply, headers: Record<string, string>, scope?: string): void {
    const { status } = reply;
    if (status === 401 || status === 403 || (status === 429 && scope !== 'shared')) this.stats.invalidRequests++;
    if (status === 400) this.stats.rejected400++;
    record.status = status;
    record.responseHeaders = headers;
    this.#conditions.changed();
    if (res.destroyed || res.writableEnded) return;
    const payload = reply.body === undefined || status === 204 ? undefined : JSON.stringify(reply.body);
    res.writeHead(status, { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) });
    res.end(payload);
  }

  #takeOverride(method: string, path: string): ScriptedResponse | undefined {
    const o = this.#overrides.find((x) => x.remaining > 0 && (x.method === undefined || x.method === method) && x.matches(path));
    if (!o) return undefined;
    o.remaining--;
    return o.response;
  }

  override(match: OverrideMatch, response: ScriptedResponse): void {
    this.#overrides.push({
      method: match.method?.toUpperCase(),
      matches: pathMatcher(match.path),
      remaining: match.times ?? Number.POSITIVE_INFINITY,
      response,
    });
  }

  clearOverrides(): void {
    this.#overrides.length = 0;
  }

  setMemberPermissions(guildId: string, userId: string, permissions: string): void {
    this.#state.memberPermissions.set(`${guildId}:${userId}`, permissions);
  }

  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return this.#conditions.waitFor(() => this.requests.find(pred), timeoutMs, 'a matching request');
  }

  messages(channelId: string): FakeMessage[] {
    return structuredClone(this.#state.visible.get(channelId) ?? []);
  }

  waitForMessages(channelId: string, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<FakeMessage[]> {
    return this.#conditions.waitFor(
      () => ((this.#state.visible.get(channelId)?.length ?? 0) >= count ? this.messages(channelId) : undefined),
      timeoutMs,
      `${count} messages in channel ${channelId}`,
    );
  }

  commands(guildId?: string): unknown[] {
    return structuredClone(this.#state.commands.get(guildId ?? '') ?? []);
  }

  // ---- gateway ----

  waitForFrame(pred: (f: GatewayFrame) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<GatewayFrame> {
    return this.#conditions.waitFor(() => this.frames.find(pred), timeoutMs, 'a matching gateway frame');
  }

  async waitForReady(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.#conditions.waitFor(() => (this.#gateway.connectedShards > 0 ? true : undefined), timeoutMs, 'a ready gateway client');
  }

  dispatch(event: string, data: unknown): void {
    this.#gateway.dispatch(event, data);
  }

  async interact(interaction: object): Promise<InteractionRecord> {
    const payload: Record<string, unknown> = { ...(interaction as Record<string, unknown>) };
    const id = str(payload.id);
    const token = str(payload.token);
    if (id === undefined || token === undefined) throw new TypeError('interact(): the interaction needs string `id` and `token`');
    payload.application_id ??= this.appId;
    const member = payload.member;
    const guildId = str(payload.guild_id);
    if (guildId !== undefined && isRecord(member) && isRecord(member.user)) {
      const userId = str(member.user.id);
      const permissions = str(member.permissions);
      if (userId !== undefined && permissions !== undefined) this.setMemberPermissions(guildId, userId, permissions);
    }
    if (!this.#gateway.hasSession) throw new Error('interact(): no gateway session; log a client in and await waitForReady() first');
    const rec = new LiveInteraction(id, token, payload, this.#conditions);
    this.#state.interactionsById.set(id, rec);
    this.#state.interactionsByToken.set(token, rec);
    this.#gateway.dispatchToNewest('INTERACTION_CREATE', payload);
    await rec.waitForCallback(this.#state.cfg.interactionDeadlineMs).catch(() => undefined);
    return rec;
  }

  closeGateway(code: number): void {
    this.#gateway.closeAll(code);
  }

  requestReconnect(): void {
    this.#gateway.sendOp(7, null, false);
  }

  invalidSession(resumable: boolean): void {
    this.#gateway.sendOp(9, resumable, !resumable);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#conditions.close();
    this.#sleeper.close();
    this.#gateway.close();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }
}

/**
 * Starts a FakeDiscord on 127.0.0.1 with an ephemeral port. Close it with {@link FakeDiscord.close}.
 */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscordServer(opts);
  await fake.listen();
  return fake;
}
