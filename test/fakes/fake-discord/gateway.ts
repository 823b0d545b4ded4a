/**
 * The gateway side of FakeDiscord: JSON text frames, no compression
 * (https://discord.com/developers/docs/events/gateway). HELLO → IDENTIFY → READY + GUILD_CREATE,
 * heartbeats, RESUME with replay of missed dispatches, and the server-initiated disruptions.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { GatewayFrame } from './types.js';
import { isRecord, num, str, type Conditions } from './util.js';

/** What the gateway needs from the rest of the fake. */
export interface GatewayConfig {
  token: string;
  appId: string;
  gatewayUrl: () => string;
  heartbeatIntervalMs: number;
  botUser: Record<string, unknown>;
  guilds: Array<Record<string, unknown>>;
  conditions: Conditions;
}

interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  events: Dispatch[];
  conn: Connection | undefined;
}

interface Connection {
  ws: WebSocket;
  session: Session | undefined;
  ready: boolean;
}

/** Close codes after which Discord does not let the session resume (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes). */
const SESSION_ENDING_CODES = new Set([4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

/** The `/gateway` WebSocket endpoint: connections, sessions (with their dispatch history) and frames. */
export class Gateway {
  readonly frames: GatewayFrame[] = [];
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #conns = new Set<Connection>();
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly cfg: GatewayConfig) {}

  get connectedShards(): number {
    let n = 0;
    for (const c of this.#conns) if (c.ready && c.ws.readyState === c.ws.OPEN) n++;
    return n;
  }

  /** Whether some session exists (a client became ready and was not invalidated). */
  get hasSession(): boolean {
    return this.#sessions.size > 0;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    const conn: Connection = { ws, session: undefined, ready: false };
    this.#conns.add(conn);
    ws.on('message', (data, isBinary) => this.#onMessage(conn, data, isBinary));
    ws.on('close', () => {
      this.#conns.delete(conn);
      if (conn.session?.conn === conn) conn.session.conn = undefined;
      this.cfg.conditions.changed();
    });
    ws.on('error', () => ws.terminate());
    this.#send(conn, { op: 10, d: { heartbeat_interval: this.cfg.heartbeatIntervalMs }, s: null, t: null });
  }

  #send(conn: Connection, frame: { op: number; d: unknown; s: number | null; t: string | null }): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    this.frames.push({ direction: 'out', ...frame, at: Date.now() });
    conn.ws.send(JSON.stringify(frame));
    this.cfg.conditions.changed();
  }

  #close(conn: Connection, code: number, reason: string): void {
    if (conn.session && SESSION_ENDING_CODES.has(code)) this.#sessions.delete(conn.session.id);
    conn.ready = false;
    conn.ws.close(code, reason);
    this.cfg.conditions.changed();
  }

  #onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let frame: unknown;
    try {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const text = buf.toString('utf8');
      frame = isBinary ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    if (!isRecord(frame) || num(frame.op) === undefined) return this.#close(conn, 4002, 'Error while decoding payload.');
    const op = num(frame.op)!;
    this.frames.push({ direction: 'in', op, t: null, s: null, d: frame.d, at: Date.now() });
    this.cfg.conditions.changed();
    switch (op) {
      case 1:
        return this.#send(conn, { op: 11, d: null, s: null, t: null });
      case 2:
        return this.#identify(conn, frame.d);
      case 6:
        return this.#resume(conn, frame.d);
      case 3:
      case 4:
      case 8:
        if (!conn.ready) return this.#close(conn, 4003, 'Not authenticated.');
        return;
      default:
        return this.#close(conn, 4001, 'Unknown opcode.');
    }
  }

  #identify(conn: Connection, d: unknown): void {
    if (conn.ready) return this.#close(conn, 4005, 'Already authenticated.');
    if (!isRecord(d) || str(d.token) !== this.cfg.token) return this.#close(conn, 4004, 'Authentication failed.');
    if (num(d.intents) === undefined) return this.#close(conn, 4013, 'Invalid intent(s).');
    const shard = Array.isArray(d.shard) ? (d.shard as unknown[]) : [0, 1];
    if (shard[0] !== 0 || shard[1] !== 1) return this.#close(conn, 4010, 'Invalid shard.');
    const session: Session = { id: randomUUID().replaceAll('-', ''), seq: 0, events: [], conn };
    this.#sessions.set(session.id, session);
    conn.session = session;
    this.#dispatchTo(session, 'READY', {
      v: 10,
      user: this.cfg.botUser,
      guilds: this.cfg.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.cfg.gatewayUrl(),
      application: { id: this.cfg.appId, flags: 0 },
      shard: [0, 1],
      private_channels: [],
      relationships: [],
      presences: [],
      geo_ordered_rtc_regions: [],
      _trace: ['fake-discord'],
    });
    for (const g of this.cfg.guilds) this.#dispatchTo(session, 'GUILD_CREATE', g);
    conn.ready = true;
    this.cfg.conditions.changed();
  }

  #resume(conn: Connection, d: unknown): void {
    if (conn.ready) return this.#close(conn, 4005, 'Already authenticated.');
    if (!isRecord(d) || str(d.token) !== this.cfg.token) return this.#close(conn, 4004, 'Authentication failed.');
    const session = this.#sessions.get(str(d.session_id) ?? '');
    const seq = num(d.seq) ?? 0;
    if (!session || seq > session.seq) {
      return this.#send(conn, { op: 9, d: false, s: null, t: null });
    }
    if (session.conn && session.conn !== conn) this.#close(session.conn, 4000, 'Session resumed elsewhere.');
    session.conn = conn;
    conn.session = session;
    for (const e of session.events) if (e.s > seq) this.#send(conn, e);
    this.#dispatchTo(session, 'RESUMED', null);
    conn.ready = true;
    this.cfg.conditions.changed();
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    const frame: Dispatch = { op: 0, t, s: ++session.seq, d };
    session.events.push(frame);
    if (session.conn) this.#send(session.conn, frame);
  }

  /** Dispatches to every session; returns how many sessions got it. */
  dispatch(t: string, d: unknown): number {
    for (const s of this.#sessions.values()) this.#dispatchTo(s, t, d);
    return this.#sessions.size;
  }

  /** Dispatches to the newest session only (one shard gets an interaction); false when there is none. */
  dispatchToNewest(t: string, d: unknown): boolean {
    const newest = [...this.#sessions.values()].at(-1);
    if (!newest) return false;
    this.#dispatchTo(newest, t, d);
    return true;
  }

  closeAll(code: number): void {
    for (const c of [...this.#conns]) this.#close(c, code, 'Closed by FakeDiscord.');
  }

  /** Sends op 7 or op 9 on every connection. After op 9 the connection may RESUME or IDENTIFY again (discord.js resumes on the same socket). */
  sendOp(op: 7 | 9, d: unknown, endSessions: boolean): void {
    for (const c of [...this.#conns]) {
      this.#send(c, { op, d, s: null, t: null });
      if (op === 9) c.ready = false;
      if (endSessions && c.session) this.#sessions.delete(c.session.id);
    }
    this.cfg.conditions.changed();
  }

  /** Terminates every connection and the ws server. */
  close(): void {
    for (const c of this.#conns) c.ws.terminate();
    this.#conns.clear();
    this.#wss.close();
  }
}
