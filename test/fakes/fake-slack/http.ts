/** Request parsing and reply writing for the fake's HTTP side. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiReply } from './web-api.js';

const JSON_PARAMS = new Set(['blocks', 'attachments', 'metadata']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Query string plus urlencoded or JSON body; JSON-string blocks/attachments/metadata are parsed
 * when valid. Undefined for a JSON body that is not an object.
 */
export function parseParams(query: URLSearchParams, raw: string, contentType: string | undefined): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = Object.fromEntries(query);
  if (raw.length === 0) return params;
  if (contentType?.includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return undefined;
    }
    return isRecord(body) ? { ...params, ...body } : undefined;
  }
  for (const [k, v] of new URLSearchParams(raw)) {
    let value: unknown = v;
    if (JSON_PARAMS.has(k)) {
      try {
        value = JSON.parse(v);
      } catch {
        value = v;
      }
    }
    params[k] = value;
  }
  return params;
}

/** The whole request body as UTF-8. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a reply: JSON unless the body is a string. */
export function send(res: ServerResponse, reply: ApiReply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const type = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
  res.end(text);
}
