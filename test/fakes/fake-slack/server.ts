/** The HTTP server behind {@link FakeSlack}: Web API, response_url sink and the Socket Mode upgrade. */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FakeSlack } from '../fake-slack.js';
import { parseParams, readBody, send } from './http.js';
import {
  blockActionsPayload, eventPayload, signSlackRequest, slashCommandPayload, type PayloadContext,
} from './payloads.js';
import { ChannelRateLimiter } from './rate-limit.js';
import { ResponseSink } from './response-sink.js';
import { SocketModeServer } from './socket.js';
import type {
  BlockActionsOptions, FakeSlackAck, FakeSlackChannelSpec, FakeSlackEnvelopeType, FakeSlackEphemeral, FakeSlackMessage,
  FakeSlackOptions, FakeSlackOverrideMatch, FakeSlackOverrideResponse, FakeSlackStats, SlackCall, SlashCommandOptions,
} from './types.js';
import { Waiters } from './waiters.js';
import { handleWebApi, platformError, rateLimitedReply, Workspace, type ApiReply } from './web-api.js';

const DEFAULT_WAIT_MS = 5000;

interface MutableCall {
  method: string;
  authorization: string | undefined;
  contentType: string | undefined;
  params: Record<string, unknown>;
  at: number;
  response: { status: number; body: unknown } | undefined;
}

interface Override {
  match: FakeSlackOverrideMatch;
  response: FakeSlackOverrideResponse;
  left: number;
}

/** Implementation of {@link FakeSlack}; construct through `startFakeSlack`. */
export class FakeSlackServer implements FakeSlack {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Waiters();
  private readonly limiter: ChannelRateLimiter;
  private readonly ws: Workspace;
  private readonly socketMode: SocketModeServer;
  private readonly callLog: MutableCall[] = [];
  private overrides: Override[] = [];
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private readonly sink: ResponseSink;
  private readonly signingSecret: string;
  private readonly defaultChannel: string;
  private port = 0;
  private counter = 0;
  private closing: Promise<void> | undefined;

  constructor(opts: FakeSlackOptions) {
    this.signingSecret = opts.signingSecret ?? 'test-signing-secret';
    this.limiter = new ChannelRateLimiter(opts.channelRate ?? { perSecond: 1, burst: 3 });
    const channels = opts.channels ?? [{ id: 'C0NEWS', name: 'news' }];
    this.defaultChannel = channels[0]?.id ?? 'C0NEWS';
    const changed = (): void => this.waiters.notify();
    this.ws = new Workspace(
      {
        teamId: opts.teamId ?? 'T000001', botUserId: opts.botUserId ?? 'U0BOT', botId: opts.botId ?? 'B0BOT',
        appId: opts.appId ?? 'A0APP', botToken: opts.botToken ?? 'xoxb-test', appToken: opts.appToken ?? 'xapp-1-test',
      },
      channels,
      opts.users ?? [{ id: 'U0ALICE', name: 'alice', isAdmin: true }, { id: 'U0BOB', name: 'bob' }],
      this.limiter,
      changed,
    );
    this.sink = new ResponseSink(this.ws);
    this.socketMode = new SocketModeServer(this.ws.id.appId, changed);
    this.server = createServer((req, res) => {
      this.route(req, res).catch(() => req.socket.destroy());
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (this.closing || new URL(req.url ?? '/', 'http://x').pathname !== '/socket') socket.destroy();
      else this.socketMode.upgrade(req, socket, head);
    });
  }

  async listen(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get socketUrl(): string {
    return `ws://127.0.0.1:${this.port}/socket`;
  }

  get calls(): readonly SlackCall[] {
    return this.callLog;
  }

  callsTo(method: string): SlackCall[] {
    return this.callLog.filter((c) => c.method === method);
  }

  waitForCall(pred: (c: SlackCall) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<SlackCall> {
    return this.waiters.wait(() => this.callLog.find(pred), timeoutMs, 'a matching Web API call');
  }

  messages(channel: string): FakeSlackMessage[] {
    return this.ws.messages(channel);
  }

  ephemerals(channel: string): FakeSlackEphemeral[] {
    return this.ws.ephemerals(channel);
  }

  waitForMessages(channel: string, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<FakeSlackMessage[]> {
    return this.waiters.wait(
      () => (this.ws.messageCount(channel) >= count ? this.ws.messages(channel) : undefined),
      timeoutMs,
      `${count} message(s) in ${channel}`,
    );
  }

  setChannel(spec: FakeSlackChannelSpec): void {
    const old = this.ws.channels.get(spec.id);
    this.ws.channels.set(spec.id, {
      id: spec.id, name: spec.name ?? old?.name ?? spec.id.toLowerCase(),
      isMember: spec.isMember ?? old?.isMember ?? true, isArchived: spec.isArchived ?? old?.isArchived ?? false,
    });
  }

  override(match: FakeSlackOverrideMatch, response: FakeSlackOverrideResponse): void {
    if (response.kind === 'rateLimit' && (!Number.isInteger(response.retryAfterSeconds) || response.retryAfterSeconds < 0)) {
      throw new TypeError('retryAfterSeconds must be a whole number: web-api parses Retry-After with parseInt');
    }
    this.overrides.push({ match, response, left: match.times ?? Infinity });
  }

  clearOverrides(): void {
    this.overrides = [];
  }

  responseUrl(id?: string): string {
    return `http://127.0.0.1:${this.port}/response/${encodeURIComponent(id ?? this.nextId('r'))}`;
  }

  responses(id: string): unknown[] {
    return this.sink.responses(id);
  }

  responseAttempts(id: string): Array<{ status: number; body: unknown }> {
    return this.sink.attemptsFor(id);
  }

  waitForResponse(id: string, count = 1, timeoutMs = DEFAULT_WAIT_MS): Promise<unknown[]> {
    return this.waiters.wait(
      () => (this.sink.count(id) >= count ? this.sink.responses(id) : undefined),
      timeoutMs,
      `${count} response(s) to response_url ${id}`,
    );
  }

  failResponses(id: string, status: number): void {
    this.sink.fail(id, status);
  }

  signRequest(rawBody: string, timestampSeconds?: number, secret?: string): Record<string, string> {
    return signSlackRequest(secret ?? this.signingSecret, rawBody, timestampSeconds);
  }

  postSigned(url: string, rawBody: string, o: { timestampSeconds?: number; secret?: string } = {}): Promise<Response> {
    const contentType = rawBody.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType, ...this.signRequest(rawBody, o.timestampSeconds, o.secret) },
      body: rawBody,
    });
  }

  slashCommandPayload(o: SlashCommandOptions): Record<string, string> {
    return slashCommandPayload(this.payloadContext(), o);
  }

  slashCommandBody(o: SlashCommandOptions): string {
    return new URLSearchParams(this.slashCommandPayload(o)).toString();
  }

  blockActionsPayload(o: BlockActionsOptions): Record<string, unknown> {
    return blockActionsPayload(this.payloadContext(), o);
  }

  blockActionsBody(o: BlockActionsOptions): string {
    return new URLSearchParams({ payload: JSON.stringify(this.blockActionsPayload(o)) }).toString();
  }

  eventPayload(event: object): Record<string, unknown> {
    return eventPayload(this.payloadContext(), event);
  }

  eventBody(event: object): string {
    return JSON.stringify(this.eventPayload(event));
  }

  urlVerificationBody(challenge: string): string {
    return JSON.stringify({ token: 'fake-verification-token', challenge, type: 'url_verification' });
  }

  get socketConnections(): number {
    return this.socketMode.greeted;
  }

  get openSockets(): number {
    return this.socketMode.openCount;
  }

  get acks(): readonly FakeSlackAck[] {
    return this.socketMode.acks;
  }

  async waitForSocket(count = 1, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.waiters.wait(
      () => (this.socketMode.greeted >= count && this.socketMode.openCount > 0 ? true : undefined),
      timeoutMs,
      `Socket Mode connection #${count}`,
    );
  }

  async waitForSocketsClosed(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.waiters.wait(() => (this.socketMode.allClosed ? true : undefined), timeoutMs, 'all Socket Mode connections to close');
  }

  sendEnvelope(type: FakeSlackEnvelopeType, payload: object, timeoutMs = DEFAULT_WAIT_MS): Promise<FakeSlackAck> {
    return this.socketMode.send(type, payload, timeoutMs);
  }

  disconnectSocket(reason = 'refresh_requested'): void {
    this.socketMode.disconnect(reason);
  }

  dropSockets(): void {
    this.socketMode.drop();
  }

  get stats(): FakeSlackStats {
    return { ...this.limiter.stats };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.waiters.close();
      for (const s of this.sleeps) {
        clearTimeout(s.timer);
        s.wake();
      }
      this.socketMode.close();
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const s of this.sockets) s.destroy();
      await closed;
    })();
    return this.closing;
  }

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  private payloadContext(): PayloadContext {
    const ws = this.ws;
    return {
      teamId: ws.id.teamId, appId: ws.id.appId, botUserId: ws.id.botUserId, defaultChannel: this.defaultChannel,
      channelName: (id) => ws.channels.get(id)?.name ?? id.toLowerCase(),
      userName: (id) => ws.users.get(id)?.name ?? id.toLowerCase(),
      responseUrl: (id, target) => {
        const url = this.responseUrl(id);
        this.sink.target(decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)), target);
        return url;
      },
      newestTs: (channel) => ws.messages(channel).pop()?.ts,
      nextId: (prefix) => this.nextId(prefix),
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = { timer: setTimeout(() => entry.wake(), ms), wake: () => {
        this.sleeps.delete(entry);
        resolve();
      } };
      this.sleeps.add(entry);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/') && (req.method === 'POST' || req.method === 'GET')) {
      await this.webApi(req, res, { method: decodeURIComponent(url.pathname.slice('/api/'.length)), query: url.searchParams, raw, arrivedAt });
    } else if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      send(res, this.sink.handle(decodeURIComponent(url.pathname.slice('/response/'.length)), raw));
      this.waiters.notify();
    } else {
      send(res, { status: 404, body: 'not found' });
    }
  }

  private takeOverride(method: string, channel: unknown): FakeSlackOverrideResponse | undefined {
    const o = this.overrides.find((x) => x.match.method === method && (x.match.channel === undefined || x.match.channel === channel));
    if (!o) return undefined;
    o.left -= 1;
    if (o.left <= 0) this.overrides = this.overrides.filter((x) => x !== o);
    return o.response;
  }

  private async webApi(
    req: IncomingMessage,
    res: ServerResponse,
    { method, query, raw, arrivedAt }: { method: string; query: URLSearchParams; raw: string; arrivedAt: number },
  ): Promise<void> {
    const contentType = req.headers['content-type'];
    const params = parseParams(query, raw, contentType);
    const call: MutableCall = {
      method, authorization: req.headers.authorization, contentType, params: params ?? {}, at: Date.now(), response: undefined,
    };
    this.callLog.push(call);
    this.waiters.notify();
    const answer = (reply: ApiReply): void => {
      call.response = { status: reply.status, body: reply.body };
      send(res, reply);
      this.waiters.notify();
    };
    if (!params) return answer(platformError('invalid_json'));

    const rateKey = method === 'chat.postMessage' ? this.ws.rateKey(params) : undefined;
    const earlyRetryAfter = rateKey === undefined ? undefined : this.limiter.checkEarly(rateKey, arrivedAt);
    const scripted = this.takeOverride(method, params.channel);
    if (scripted?.kind === 'delay') {
      await this.sleep(scripted.ms);
      if (this.closing) return;
    }
    switch (scripted?.kind) {
      case 'error':
        return answer(platformError(scripted.error));
      case 'rateLimit':
        this.limiter.noteRateLimited(rateKey, scripted.retryAfterSeconds);
        return answer(rateLimitedReply(scripted.retryAfterSeconds));
      case 'http':
        return answer({ status: scripted.status, body: `fake-slack scripted HTTP ${scripted.status}` });
      default:
        break;
    }
    const reply = handleWebApi(this.ws, this.limiter, { method, authorization: call.authorization, params, earlyRetryAfter }, () =>
      `${this.socketUrl}?ticket=${this.nextId('t')}&app_id=${this.ws.id.appId}`);
    if (scripted?.kind === 'acceptThenDrop') {
      req.socket.destroy();
      this.waiters.notify();
      return;
    }
    answer(reply);
  }
}
