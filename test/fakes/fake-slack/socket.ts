/**
 * The Socket Mode side: https://docs.slack.dev/apis/events-api/using-socket-mode
 * A `ws` server in noServer mode at /socket; the client (Bolt's, on undici's WebSocket) gets
 * `hello`, receives envelopes and answers each with `{envelope_id, payload?}`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlackAck, FakeSlackEnvelopeType } from './types.js';

interface PendingEnvelope {
  socket: WebSocket;
  sentAt: number;
  resolve: (ack: FakeSlackAck) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Socket Mode connections, envelopes and acks. */
export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly open = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingEnvelope>();
  private nextEnvelope = 1;
  /** Connections greeted with `hello` since start. */
  greeted = 0;
  /** Every ack received, in order. */
  readonly acks: FakeSlackAck[] = [];
  /** Frames from the client that were not JSON acks (kept for debugging). */
  readonly otherFrames: string[] = [];

  constructor(private readonly appId: string, private readonly changed: () => void) {}

  get openCount(): number {
    return this.open.size;
  }

  /** Completes an upgrade request for /socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.open.add(ws);
    this.greeted += 1;
    ws.on('message', (data, isBinary) => this.onFrame(ws, isBinary ? '' : data.toString()));
    ws.on('close', () => {
      this.open.delete(ws);
      for (const [id, p] of this.pending) {
        if (p.socket === ws) this.settle(id)?.reject(new Error(`FakeSlack: socket closed before envelope ${id} was acknowledged`));
      }
      this.changed();
    });
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({
      type: 'hello',
      num_connections: this.open.size,
      debug_info: { host: 'fake-slack-1', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    }));
    this.changed();
  }

  private onFrame(ws: WebSocket, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.otherFrames.push(text);
      return;
    }
    const envelopeId = typeof msg === 'object' && msg !== null && 'envelope_id' in msg ? msg.envelope_id : undefined;
    const p = typeof envelopeId === 'string' ? this.pending.get(envelopeId) : undefined;
    if (typeof envelopeId !== 'string' || !p || p.socket !== ws) {
      this.otherFrames.push(text);
      return;
    }
    const ack: FakeSlackAck = { envelope_id: envelopeId, at: performance.now() - p.sentAt };
    if ('payload' in (msg as object)) ack.payload = (msg as { payload: unknown }).payload;
    this.acks.push(ack);
    this.settle(envelopeId)?.resolve(ack);
    this.changed();
  }

  private settle(id: string): PendingEnvelope | undefined {
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(id);
    }
    return p;
  }

  /** Sends an envelope to the newest open connection and resolves with its ack. */
  send(type: FakeSlackEnvelopeType, payload: object, timeoutMs: number): Promise<FakeSlackAck> {
    const socket = [...this.open].pop();
    if (!socket) return Promise.reject(new Error('FakeSlack: no Socket Mode connection is open'));
    const envelopeId = `env-${this.nextEnvelope++}`;
    const innerType = (payload as { type?: unknown }).type;
    const envelope = {
      envelope_id: envelopeId,
      type,
      // Slack only takes a response payload in the ack for commands, view submissions and option loads.
      accepts_response_payload: type === 'slash_commands' || (type === 'interactive' && (innerType === 'view_submission' || innerType === 'block_suggestion')),
      payload,
      ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
    };
    return new Promise<FakeSlackAck>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(envelopeId)?.reject(new Error(`FakeSlack: no ack for ${envelopeId} within ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(envelopeId, { socket, sentAt: performance.now(), resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks every open client to reconnect, as Slack does before recycling a host. */
  disconnect(reason: string): void {
    for (const ws of this.open) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-slack-1' } }));
  }

  /** True when no connection is open. */
  get allClosed(): boolean {
    return this.open.size === 0;
  }

  /** Cuts every connection without a close handshake (a network failure). */
  drop(): void {
    for (const ws of this.open) ws.terminate();
  }

  /** Terminates all clients and rejects pending envelopes. */
  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error('FakeSlack: closed'));
    for (const ws of this.open) ws.terminate();
    this.wss.close();
  }
}
