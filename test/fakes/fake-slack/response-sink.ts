/**
 * The response_url sink. Slack answers `200 ok`; a response_url "can be used up to five times
 * within 30 minutes" (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses),
 * so the sixth post gets 404. `in_channel` answers and `replace_original`/`delete_original` act on the
 * channel the way Slack shows them. (The 30-minute expiry is not modelled.)
 */
import { validateBlocks } from './blocks.js';
import type { ApiReply, Workspace } from './web-api.js';

const RESPONSE_URL_USES = 5;

/** Where an in_channel answer lands and which message replace/delete_original refers to. */
export interface ResponseTarget {
  channel: string;
  messageTs?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Records and answers response_url posts, keyed by the id in the URL. */
export class ResponseSink {
  private readonly accepted = new Map<string, unknown[]>();
  private readonly attempts = new Map<string, Array<{ status: number; body: unknown }>>();
  private readonly failures = new Map<string, number>();
  private readonly targets = new Map<string, ResponseTarget>();

  constructor(private readonly ws: Workspace) {}

  target(id: string, t: ResponseTarget): void {
    this.targets.set(id, t);
  }

  fail(id: string, status: number): void {
    this.failures.set(id, status);
  }

  count(id: string): number {
    return this.accepted.get(id)?.length ?? 0;
  }

  responses(id: string): unknown[] {
    return structuredClone(this.accepted.get(id) ?? []);
  }

  attemptsFor(id: string): Array<{ status: number; body: unknown }> {
    return structuredClone(this.attempts.get(id) ?? []);
  }

  /** Handles one POST to /response/<id>. */
  handle(id: string, raw: string): ApiReply {
    const reply = this.evaluate(id, raw);
    const attempts = this.attempts.get(id) ?? [];
    attempts.push({ status: reply.status, body: reply.body });
    this.attempts.set(id, attempts);
    return reply;
  }

  private evaluate(id: string, raw: string): ApiReply {
    const failure = this.failures.get(id);
    if (failure !== undefined) return { status: failure, body: 'expired_url' };
    const accepted = this.accepted.get(id) ?? [];
    if (accepted.length >= RESPONSE_URL_USES) return { status: 404, body: 'used_url' };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { status: 400, body: 'invalid_payload' };
    }
    if (!isRecord(body)) return { status: 400, body: 'invalid_payload' };
    if (body.blocks !== undefined) {
      const bad = validateBlocks(body.blocks);
      if (bad) return { status: 400, body: bad.error };
    }
    const hasText = typeof body.text === 'string' && body.text !== '';
    if (!hasText && body.blocks === undefined && body.delete_original !== true) return { status: 400, body: 'no_text' };
    accepted.push(body);
    this.accepted.set(id, accepted);
    this.apply(id, body);
    return { status: 200, body: 'ok' };
  }

  private apply(id: string, body: Record<string, unknown>): void {
    const target = this.targets.get(id);
    if (!target) return;
    const original = target.messageTs === undefined ? undefined : this.ws.find(target.channel, target.messageTs);
    const content = {
      text: typeof body.text === 'string' ? body.text : undefined,
      blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
      attachments: Array.isArray(body.attachments) ? body.attachments : undefined,
      metadata: undefined,
    };
    if (body.delete_original === true && original) this.ws.deleteMessage(original.channel, original.ts);
    else if (body.replace_original === true && original) this.ws.editMessage(original, content, false);
    else if (body.response_type === 'in_channel') this.ws.addMessage(target.channel, content, { linkNames: false, via: 'response_url' });
    // Ephemeral answers are only seen by the invoking user; they stay in responses(id).
  }
}
