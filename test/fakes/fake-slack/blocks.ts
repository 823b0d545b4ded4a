/**
 * Message content rules of chat.postMessage / chat.update, as strict as Slack or stricter, and
 * mention detection. Lengths are UTF-16 code units (`string.length`), which is never more lenient
 * than counting characters.
 */
import type { FakeSlackMetadata } from './types.js';

/** Why content was refused; `error` is the Slack error code, `detail` the `errors[]` entry. */
export interface ContentError {
  error: string;
  detail: string;
}

/** https://docs.slack.dev/reference/methods/chat.postMessage ("Slack will truncate messages containing more than 40,000 characters"; the fake refuses them). */
export const MAX_TEXT = 40_000;
/** https://docs.slack.dev/reference/block-kit/blocks (50 blocks per message). */
export const MAX_BLOCKS = 50;
/**
 * Cumulative text in blocks. Slack does not document it for all block types; it rejected about
 * 13,200 characters with `msg_blocks_too_long` (https://github.com/slackapi/bolt-js/issues/2509) and
 * documents 12,000 for markdown blocks. RELIABILITY.md S3 targets ≤ 12k, so the fake enforces 12,000.
 */
export const MAX_TOTAL_BLOCK_TEXT = 12_000;

const KNOWN_BLOCK_TYPES = new Set([
  'section', 'header', 'divider', 'context', 'actions', 'image', 'markdown', 'rich_text',
  'video', 'file', 'input', 'table', 'context_actions',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Invalid extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

function fail(message: string, pointer: string): never {
  throw new Invalid(`${message} [json-pointer:${pointer}]`);
}

function str(v: unknown, pointer: string, max: number, min = 1): string {
  if (typeof v !== 'string') fail('must be a string', pointer);
  if (v.length < min) fail(`must be more than ${min - 1} characters`, pointer);
  if (v.length > max) fail(`must be less than ${max + 1} characters`, pointer);
  return v;
}

/** Text composition object: https://docs.slack.dev/reference/block-kit/composition-objects/text-object */
function textObject(v: unknown, pointer: string, max: number, plainOnly = false): void {
  if (!isRecord(v)) fail('must be an object', pointer);
  if (v.type !== 'plain_text' && v.type !== 'mrkdwn') fail('must be one of plain_text, mrkdwn', `${pointer}/type`);
  if (plainOnly && v.type !== 'plain_text') fail('must be plain_text', `${pointer}/type`);
  str(v.text, `${pointer}/text`, max);
  if (v.type === 'mrkdwn' && 'emoji' in v) fail('invalid additional property: emoji', pointer);
  if (v.type === 'plain_text' && 'verbatim' in v) fail('invalid additional property: verbatim', pointer);
}

function array(v: unknown, pointer: string, max: number, min = 1): unknown[] {
  if (!Array.isArray(v)) fail('must be an array', pointer);
  if (v.length < min) fail(`must provide at least ${min} items`, pointer);
  if (v.length > max) fail(`no more than ${max} items allowed`, pointer);
  return v;
}

/** Interactive elements: https://docs.slack.dev/reference/block-kit/block-elements */
function element(v: unknown, pointer: string): void {
  if (!isRecord(v) || typeof v.type !== 'string') fail('must be an element object with a type', pointer);
  if (v.action_id !== undefined) str(v.action_id, `${pointer}/action_id`, 255);
  if (v.type === 'button') {
    textObject(v.text, `${pointer}/text`, 75, true);
    if (v.url !== undefined) str(v.url, `${pointer}/url`, 3000);
    if (v.value !== undefined) str(v.value, `${pointer}/value`, 2000);
    if (v.style !== undefined && v.style !== 'primary' && v.style !== 'danger') fail('must be primary or danger', `${pointer}/style`);
  } else if (v.type === 'image') {
    imageLike(v, pointer);
  }
}

function imageLike(v: Record<string, unknown>, pointer: string): void {
  if (v.slack_file === undefined) str(v.image_url, `${pointer}/image_url`, 3000);
  str(v.alt_text, `${pointer}/alt_text`, 2000);
}

function block(b: unknown, pointer: string, blockIds: Set<string>): void {
  if (!isRecord(b)) fail('must be an object', pointer);
  if (typeof b.type !== 'string' || !KNOWN_BLOCK_TYPES.has(b.type)) fail('must be a known block type', `${pointer}/type`);
  if (b.block_id !== undefined) {
    const id = str(b.block_id, `${pointer}/block_id`, 255);
    if (blockIds.has(id)) fail('duplicate block_id', `${pointer}/block_id`);
    blockIds.add(id);
  }
  switch (b.type) {
    // https://docs.slack.dev/reference/block-kit/blocks/section-block
    case 'section':
      if (b.text === undefined && b.fields === undefined) fail('must provide text or fields', pointer);
      if (b.text !== undefined) textObject(b.text, `${pointer}/text`, 3000);
      if (b.fields !== undefined) {
        array(b.fields, `${pointer}/fields`, 10).forEach((f, i) => textObject(f, `${pointer}/fields/${i}`, 2000));
      }
      if (b.accessory !== undefined) element(b.accessory, `${pointer}/accessory`);
      return;
    // https://docs.slack.dev/reference/block-kit/blocks/header-block
    case 'header':
      textObject(b.text, `${pointer}/text`, 150, true);
      return;
    case 'divider':
      return;
    // https://docs.slack.dev/reference/block-kit/blocks/context-block
    case 'context':
      array(b.elements, `${pointer}/elements`, 10).forEach((e, i) => {
        const p = `${pointer}/elements/${i}`;
        if (isRecord(e) && e.type === 'image') imageLike(e, p);
        else textObject(e, p, 3000);
      });
      return;
    // https://docs.slack.dev/reference/block-kit/blocks/actions-block
    case 'actions':
      array(b.elements, `${pointer}/elements`, 25).forEach((e, i) => element(e, `${pointer}/elements/${i}`));
      return;
    // https://docs.slack.dev/reference/block-kit/blocks/image-block
    case 'image':
      imageLike(b, pointer);
      if (b.title !== undefined) textObject(b.title, `${pointer}/title`, 2000, true);
      return;
    // https://docs.slack.dev/reference/block-kit/blocks/markdown-block
    case 'markdown':
      str(b.text, `${pointer}/text`, MAX_TOTAL_BLOCK_TEXT);
      return;
    case 'rich_text':
      array(b.elements, `${pointer}/elements`, Number.MAX_SAFE_INTEGER);
      return;
    default:
      return;
  }
}

/** Sum of every `text` string inside the blocks (text objects, markdown blocks, rich_text runs). */
function totalText(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + totalText(x), 0);
  if (!isRecord(v)) return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v)) n += k === 'text' && typeof x === 'string' ? x.length : totalText(x);
  return n;
}

/** Validates a parsed `blocks` parameter; returns the first problem or undefined. */
export function validateBlocks(blocks: unknown): ContentError | undefined {
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', detail: 'must provide an array [json-pointer:/blocks]' };
  try {
    if (blocks.length > MAX_BLOCKS) fail(`no more than ${MAX_BLOCKS} items allowed`, '/blocks');
    const ids = new Set<string>();
    blocks.forEach((b, i) => block(b, `/blocks/${i}`, ids));
  } catch (e) {
    if (e instanceof Invalid) return { error: 'invalid_blocks', detail: e.detail };
    throw e;
  }
  const total = totalText(blocks);
  if (total > MAX_TOTAL_BLOCK_TEXT) return { error: 'msg_blocks_too_long', detail: `${total} characters of block text` };
  return undefined;
}

/** Parses and checks a `metadata` parameter (`{event_type, event_payload}`). */
export function parseMetadata(raw: unknown): { metadata: FakeSlackMetadata } | ContentError {
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return { error: 'invalid_metadata_format', detail: 'metadata is not JSON' };
    }
  }
  if (!isRecord(v)) return { error: 'invalid_metadata_format', detail: 'metadata must be an object' };
  if (typeof v.event_type !== 'string' || v.event_type === '' || !isRecord(v.event_payload)) {
    return { error: 'invalid_metadata_schema', detail: 'metadata needs event_type (string) and event_payload (object)' };
  }
  return { metadata: { event_type: v.event_type, event_payload: v.event_payload } };
}

/**
 * Special mentions and user/usergroup mentions that notify people when left unescaped:
 * https://docs.slack.dev/messaging/formatting-message-text#escaping (`&lt;!channel&gt;` is inert).
 */
const MENTION = /<(?:!(?:channel|here|everyone)|!subteam\^[A-Z0-9]+|@[UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const BARE_MENTION = /(?:^|[^\w&;])@(channel|here|everyone)\b/g;

function collectStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out));
  else if (isRecord(v)) {
    // rich_text mention elements ping by structure, not by markup.
    if (v.type === 'broadcast' && typeof v.range === 'string') out.push(`<!${v.range}>`);
    if (v.type === 'user' && typeof v.user_id === 'string') out.push(`<@${v.user_id}>`);
    if (v.type === 'usergroup' && typeof v.usergroup_id === 'string') out.push(`<!subteam^${v.usergroup_id}>`);
    for (const [k, x] of Object.entries(v)) {
      if (k !== 'url' && k !== 'image_url' && k !== 'action_id' && k !== 'block_id' && k !== 'value') collectStrings(x, out);
    }
  }
}

/**
 * Mention tokens that would notify someone. Counts every text in the message (plain_text too: the
 * fake errs on the side of reporting). With `linkNames`, bare `@channel`/`@here`/`@everyone` count as well.
 */
export function findMentions(content: { text?: string; blocks?: unknown; attachments?: unknown }, linkNames: boolean): string[] {
  const strings: string[] = [];
  collectStrings([content.text ?? '', content.blocks ?? [], content.attachments ?? []], strings);
  const found: string[] = [];
  for (const s of strings) {
    for (const m of s.matchAll(MENTION)) found.push(m[0]);
    if (linkNames) for (const m of s.matchAll(BARE_MENTION)) found.push(`@${m[1] ?? ''}`);
  }
  return found;
}
