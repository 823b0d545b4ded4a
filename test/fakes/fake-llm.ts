/**
 * FakeLlm: an OpenAI-compatible chat completions endpoint on 127.0.0.1 for summary tests.
 *
 * ```ts
 * const llm = await startFakeLlm();
 * llm.reply('Two sentences. In German please.');   // 200 with {choices:[{message:{content}}]}
 * llm.respond({ status: 500, body: 'oops' });       // anything else, raw
 * llm.hang();                                       // never answers (until close)
 * await summarizer.summarize(...);                  // POST llm.url
 * llm.requests[0].body.messages; llm.requests[0].headers.authorization;
 * await llm.close();
 * ```
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One chat completion request as the fake received it. */
export interface LlmRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; messages?: Array<{ role: string; content: string }>; [key: string]: unknown };
}

export interface FakeLlm {
  /** `http://127.0.0.1:PORT/v1/chat/completions` */
  readonly url: string;
  readonly requests: readonly LlmRequest[];
  /** Answers every request with a chat completion whose message content is `content`. */
  reply(content: string): void;
  /** Answers every request with this raw status and body. */
  respond(answer: { status: number; body: string; contentType?: string }): void;
  /** Accepts requests and never answers them. */
  hang(): void;
  close(): Promise<void>;
}

type Behaviour = { kind: 'raw'; status: number; body: string; contentType: string } | { kind: 'hang' };

/** Starts a {@link FakeLlm} on a free loopback port. */
export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: LlmRequest[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let behaviour: Behaviour = { kind: 'raw', status: 503, body: '{"error":"no answer configured"}', contentType: 'application/json' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: LlmRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LlmRequest['body'];
      } catch {
        // Recorded as empty: the test sees a request without model or messages.
      }
      requests.push({ path: req.url ?? '/', headers: req.headers, body });
      if (behaviour.kind === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(behaviour.status, { 'content-type': behaviour.contentType }).end(behaviour.body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    requests,
    reply(content) {
      const body = JSON.stringify({
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      });
      behaviour = { kind: 'raw', status: 200, body, contentType: 'application/json' };
    },
    respond({ status, body, contentType = 'application/json' }) {
      behaviour = { kind: 'raw', status, body, contentType };
    },
    hang() {
      behaviour = { kind: 'hang' };
    },
    async close() {
      for (const res of hanging) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
