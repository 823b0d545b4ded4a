/** The live {@link InteractionRecord} and the per-interaction response state behind it. */
import type { FakeMessage, InteractionEvent, InteractionRecord } from './types.js';
import { monotonicMs, type Conditions } from './util.js';

const DEFAULT_WAIT_MS = 5000;

/** Callback types that are the user-visible answer by themselves (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type). */
const FINAL_CALLBACK_TYPES = new Set([4, 7, 8, 9, 12]);

/** One dispatched interaction: its {@link InteractionRecord} and what `@original` and follow-ups point at. */
export class LiveInteraction implements InteractionRecord {
  readonly events: InteractionEvent[] = [];
  readonly dispatchedAt = Date.now();
  readonly #dispatchedMono = monotonicMs();
  #callback: InteractionEvent | undefined;
  #final: InteractionEvent | undefined;

  /** The message `@original` refers to, once there is one. */
  original: FakeMessage | undefined;
  /** True between a type 5 callback and the first edit of `@original` (that edit is the real send). */
  awaitingFirstEdit = false;
  readonly followups = new Map<string, FakeMessage>();

  constructor(
    readonly id: string,
    readonly token: string,
    readonly payload: Readonly<Record<string, unknown>>,
    private readonly conditions: Conditions,
  ) {}

  get callback(): InteractionEvent | undefined {
    return this.#callback;
  }

  /** The accepted callback type, if any. */
  get callbackType(): number | undefined {
    return this.#callback?.type;
  }

  /** Milliseconds since dispatch. */
  elapsed(): number {
    return monotonicMs() - this.#dispatchedMono;
  }

  record(e: Omit<InteractionEvent, 'at'>): void {
    const event: InteractionEvent = { ...e, at: this.elapsed() };
    const ok = event.status >= 200 && event.status < 300;
    if (ok && event.kind === 'callback' && !this.#callback) this.#callback = event;
    if (ok && !this.#final) {
      const deferred = this.#callback?.type === 5 || this.#callback?.type === 6;
      if (event.kind === 'callback' && FINAL_CALLBACK_TYPES.has(event.type ?? 0)) this.#final = event;
      else if (event.kind === 'editOriginal' && deferred) this.#final = event;
    }
    this.events.push(event);
    this.conditions.changed();
  }

  waitFor(pred: (e: InteractionEvent) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<InteractionEvent> {
    return this.conditions.waitFor(() => this.events.find(pred), timeoutMs, `an event of interaction ${this.id}`);
  }

  waitForCallback(timeoutMs = DEFAULT_WAIT_MS): Promise<InteractionEvent> {
    return this.waitFor((e) => e.kind === 'callback', timeoutMs);
  }

  waitForFinal(timeoutMs = DEFAULT_WAIT_MS): Promise<InteractionEvent> {
    return this.conditions.waitFor(() => this.#final, timeoutMs, `the final answer to interaction ${this.id}`);
  }
}
