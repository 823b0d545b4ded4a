/**
 * Discord's body validation, as strict as the documented limits, and the mention-ping rule.
 * Errors are shaped like Discord's 50035 "Invalid Form Body"
 * (https://discord.com/developers/docs/reference#error-messages).
 */
import { arr, discordLength, isRecord, num, str, type JsonObject } from './util.js';

/** A refusal the router turns into a JSON error response. */
export interface ApiError {
  status: number;
  code: number;
  message: string;
  errors?: JsonObject;
}

type PathPart = string | number;

/** Collects field errors into Discord's nested `{a: {0: {b: {_errors: [...]}}}}` tree. */
export class ErrorTree {
  readonly root: JsonObject = {};
  #count = 0;

  add(path: readonly PathPart[], code: string, message: string): void {
    let node = this.root;
    for (const part of path) {
      const key = String(part);
      const next = node[key];
      if (isRecord(next)) node = next;
      else {
        const created: JsonObject = {};
        node[key] = created;
        node = created;
      }
    }
    const list = arr(node._errors) ?? [];
    list.push({ code, message });
    node._errors = list;
    this.#count++;
  }

  get empty(): boolean {
    return this.#count === 0;
  }

  toError(): ApiError | null {
    return this.empty ? null : invalidFormBody(this.root);
  }
}

/** A 400 50035 "Invalid Form Body" with the given `errors` tree. */
export function invalidFormBody(errors: JsonObject): ApiError {
  return { status: 400, code: 50035, message: 'Invalid Form Body', errors };
}

function maxLength(t: ErrorTree, path: readonly PathPart[], value: unknown, max: number, required = false): number {
  if (value === undefined || value === null) {
    if (required) t.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return 0;
  }
  if (typeof value !== 'string') {
    t.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
    return 0;
  }
  const len = discordLength(value);
  if (required && len === 0) t.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  else if (len > max) t.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  return len;
}

function checkUrl(t: ErrorTree, path: readonly PathPart[], value: unknown, allowAttachment: boolean): void {
  if (value === undefined || value === null) return;
  const s = str(value);
  let ok = false;
  if (s !== undefined) {
    if (allowAttachment && s.startsWith('attachment://') && s.length > 'attachment://'.length) ok = true;
    else {
      try {
        const u = new URL(s);
        ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
      } catch {
        ok = false;
      }
    }
  }
  if (!ok) {
    t.add(path, 'URL_TYPE_INVALID_URL', allowAttachment ? 'Not a well formed URL.' : 'Scheme must be one of (http, https).');
  }
}

/** Embed limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
function checkEmbed(t: ErrorTree, path: readonly PathPart[], embed: unknown): number {
  if (!isRecord(embed)) {
    t.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return 0;
  }
  let total = 0;
  total += maxLength(t, [...path, 'title'], embed.title, 256);
  total += maxLength(t, [...path, 'description'], embed.description, 4096);
  checkUrl(t, [...path, 'url'], embed.url, false);
  if (embed.color !== undefined && embed.color !== null) {
    const c = num(embed.color);
    if (c === undefined || !Number.isInteger(c)) t.add([...path, 'color'], 'NUMBER_TYPE_COERCE', 'Value is not int.');
    else if (c < 0 || c > 0xffffff) {
      t.add([...path, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
  }
  if (embed.timestamp !== undefined && embed.timestamp !== null) {
    const ts = str(embed.timestamp);
    if (ts === undefined || Number.isNaN(Date.parse(ts))) {
      t.add([...path, 'timestamp'], 'DATE_TYPE_PARSE', `Could not parse ${String(embed.timestamp)}. Should be ISO8601.`);
    }
  }
  const fields = embed.fields;
  if (fields !== undefined && fields !== null) {
    const list = arr(fields);
    if (!list) t.add([...path, 'fields'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    else {
      if (list.length > 25) t.add([...path, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      list.forEach((f, i) => {
        const fp = [...path, 'fields', i];
        if (!isRecord(f)) return t.add(fp, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
        total += maxLength(t, [...fp, 'name'], f.name, 256, true);
        total += maxLength(t, [...fp, 'value'], f.value, 1024, true);
      });
    }
  }
  if (isRecord(embed.footer)) {
    total += maxLength(t, [...path, 'footer', 'text'], embed.footer.text, 2048, true);
    checkUrl(t, [...path, 'footer', 'icon_url'], embed.footer.icon_url, true);
  }
  if (isRecord(embed.author)) {
    total += maxLength(t, [...path, 'author', 'name'], embed.author.name, 256, true);
    checkUrl(t, [...path, 'author', 'url'], embed.author.url, false);
    checkUrl(t, [...path, 'author', 'icon_url'], embed.author.icon_url, true);
  }
  for (const key of ['image', 'thumbnail'] as const) {
    const media = embed[key];
    if (isRecord(media)) checkUrl(t, [...path, key, 'url'], media.url, true);
  }
  return total;
}

const MENTION_TYPES = new Set(['users', 'roles', 'everyone']);

/** https://discord.com/developers/docs/resources/message#allowed-mentions-object */
function checkAllowedMentions(t: ErrorTree, am: unknown): void {
  if (am === undefined || am === null) return;
  if (!isRecord(am)) return t.add(['allowed_mentions'], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  const parse = am.parse === undefined ? [] : arr(am.parse);
  if (!parse) return t.add(['allowed_mentions', 'parse'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
  parse.forEach((p, i) => {
    if (typeof p !== 'string' || !MENTION_TYPES.has(p)) {
      t.add(['allowed_mentions', 'parse', i], 'ENUM_TYPE_COERCE', `Value "${String(p)}" is not a valid enum value.`);
    }
  });
  for (const kind of ['users', 'roles'] as const) {
    const ids = am[kind] === undefined ? [] : arr(am[kind]);
    if (!ids) {
      t.add(['allowed_mentions', kind], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
      continue;
    }
    if (ids.length > 100) t.add(['allowed_mentions', kind], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    if (ids.length > 0 && parse.includes(kind)) {
      t.add(
        ['allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
      );
    }
  }
}

/** Classic (non-v2) components: ≤ 5 action rows of ≤ 5 components. */
function checkComponents(t: ErrorTree, components: unknown, flags: number): void {
  if (components === undefined || components === null) return;
  const rows = arr(components);
  if (!rows) return t.add(['components'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
  if ((flags & 32768) !== 0) return; // IS_COMPONENTS_V2 layouts are not modelled.
  if (rows.length > 5) t.add(['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  rows.forEach((row, i) => {
    if (!isRecord(row) || row.type !== 1) {
      return t.add(['components', i], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    }
    const inner = arr(row.components) ?? [];
    if (inner.length === 0 || inner.length > 5) {
      t.add(['components', i, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    inner.forEach((c, j) => {
      if (!isRecord(c)) return;
      maxLength(t, ['components', i, 'components', j, 'custom_id'], c.custom_id, 100);
      maxLength(t, ['components', i, 'components', j, 'label'], c.label, 80);
      if (c.url !== undefined) checkUrl(t, ['components', i, 'components', j, 'url'], c.url, false);
    });
  });
}

function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * Validates a message body for create (`mode: 'create'`) or edit. Also used for interaction
 * replies and webhook messages. Returns the refusal or null.
 * Limits: https://discord.com/developers/docs/resources/message#create-message
 */
export function validateMessage(body: unknown, mode: 'create' | 'edit'): ApiError | null {
  if (!isRecord(body)) return invalidFormBody({ _errors: [{ code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }] });
  const t = new ErrorTree();
  maxLength(t, ['content'], body.content, 2000);
  const flags = num(body.flags) ?? 0;
  if (body.embeds !== undefined && body.embeds !== null) {
    const embeds = arr(body.embeds);
    if (!embeds) t.add(['embeds'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    else {
      if (embeds.length > 10) t.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
      let total = 0;
      embeds.forEach((e, i) => (total += checkEmbed(t, ['embeds', i], e)));
      if (total > 6000) t.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
    }
  }
  checkAllowedMentions(t, body.allowed_mentions);
  checkComponents(t, body.components, flags);
  if (body.nonce !== undefined && body.nonce !== null) {
    if (typeof body.nonce === 'string') maxLength(t, ['nonce'], body.nonce, 25);
    else if (typeof body.nonce !== 'number' || !Number.isInteger(body.nonce)) {
      t.add(['nonce'], 'BASE_TYPE_STRING', 'Must be a string or an integer.');
    }
  }
  const err = t.toError();
  if (err) return err;
  if (mode === 'create') {
    const hasBody = ['content', 'embeds', 'components', 'sticker_ids', 'attachments', 'poll'].some((k) => present(body[k]));
    if (!hasBody) return { status: 400, code: 50006, message: 'Cannot send an empty message' };
  }
  return null;
}

/** Validates an edit of `current`: the limits, and that something is left to show. */
export function validateEdit(current: { content: string; embeds: unknown[]; components: unknown[] }, body: unknown): ApiError | null {
  return validateMessage(body, 'edit') ?? emptyAfterEdit(current, body);
}

/** Discord refuses an edit that leaves a message with nothing to show (50006). */
function emptyAfterEdit(current: { content: string; embeds: unknown[]; components: unknown[] }, body: unknown): ApiError | null {
  if (!isRecord(body)) return null;
  const merged: JsonObject = {
    content: 'content' in body ? body.content : current.content,
    embeds: 'embeds' in body ? body.embeds : current.embeds,
    components: 'components' in body ? body.components : current.components,
    attachments: body.attachments,
  };
  const hasBody = ['content', 'embeds', 'components', 'attachments'].some((k) => present(merged[k]));
  return hasBody ? null : { status: 400, code: 50006, message: 'Cannot send an empty message' };
}

/** Text of a message body that can carry mentions: content and (stricter than Discord) embed text. */
function mentionableText(body: JsonObject): string {
  const parts: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
  };
  push(body.content);
  for (const e of arr(body.embeds) ?? []) {
    if (!isRecord(e)) continue;
    push(e.title);
    push(e.description);
    for (const f of arr(e.fields) ?? []) {
      if (!isRecord(f)) continue;
      push(f.name);
      push(f.value);
    }
    if (isRecord(e.footer)) push(e.footer.text);
    if (isRecord(e.author)) push(e.author.name);
  }
  return parts.join('\n');
}

/**
 * Whether sending `body` would notify anyone, per
 * https://discord.com/developers/docs/resources/message#allowed-mentions-object
 * (an absent `allowed_mentions` allows every mention).
 */
export function wouldPing(body: unknown): boolean {
  if (!isRecord(body)) return false;
  const text = mentionableText(body);
  const am = isRecord(body.allowed_mentions) ? body.allowed_mentions : undefined;
  const parse = new Set((am ? arr(am.parse) ?? [] : ['everyone', 'users', 'roles']).filter((p) => typeof p === 'string'));
  const listed = (kind: 'users' | 'roles'): Set<unknown> => new Set(am ? arr(am[kind]) ?? [] : []);
  if (/@(everyone|here)/.test(text) && parse.has('everyone')) return true;
  const users = listed('users');
  for (const m of text.matchAll(/<@!?(\d+)>/g)) if (parse.has('users') || users.has(m[1])) return true;
  const roles = listed('roles');
  for (const m of text.matchAll(/<@&(\d+)>/g)) if (parse.has('roles') || roles.has(m[1])) return true;
  return false;
}

const CHAT_INPUT_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkName(t: ErrorTree, path: readonly PathPart[], name: unknown, chatInput: boolean): void {
  const s = str(name);
  if (s === undefined) return t.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  const valid = chatInput ? CHAT_INPUT_NAME.test(s) && s === s.toLowerCase() : discordLength(s) >= 1 && discordLength(s) <= 32;
  if (!valid) t.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
}

function checkDescription(t: ErrorTree, path: readonly PathPart[], description: unknown): void {
  const s = str(description);
  if (s === undefined) return t.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  const len = discordLength(s);
  if (len < 1 || len > 100) t.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
}

/** Options: https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-structure */
function checkOptions(t: ErrorTree, path: readonly PathPart[], options: unknown, depth: number): number {
  if (options === undefined || options === null) return 0;
  const list = arr(options);
  if (!list) {
    t.add(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return 0;
  }
  if (list.length > 25) t.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let chars = 0;
  let seenOptional = false;
  const names = new Set<string>();
  list.forEach((o, i) => {
    const op = [...path, i];
    if (!isRecord(o)) return t.add(op, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    const type = num(o.type);
    if (type === undefined || !Number.isInteger(type) || type < 1 || type > 11) {
      t.add([...op, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
    }
    checkName(t, [...op, 'name'], o.name, true);
    checkDescription(t, [...op, 'description'], o.description);
    const name = str(o.name) ?? '';
    const description = str(o.description) ?? '';
    chars += discordLength(name) + discordLength(description);
    if (names.has(name)) t.add([...op, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name already exists');
    names.add(name);
    if (type === 1 || type === 2) {
      if (depth >= 2) t.add([...op, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Sub-command nesting is too deep');
      chars += checkOptions(t, [...op, 'options'], o.options, depth + 1);
      return;
    }
    if (o.required === true && seenOptional) {
      t.add(op, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (o.required !== true) seenOptional = true;
    const choices = o.choices === undefined ? [] : arr(o.choices) ?? [];
    if (choices.length > 25) t.add([...op, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    choices.forEach((c, j) => {
      if (!isRecord(c)) return;
      const n = maxLength(t, [...op, 'choices', j, 'name'], c.name, 100, true);
      chars += n + (typeof c.value === 'string' ? maxLength(t, [...op, 'choices', j, 'value'], c.value, 100) : 0);
    });
  });
  return chars;
}

/**
 * Validates a bulk-overwrite body (an array of commands); returns the refusal or null.
 * https://discord.com/developers/docs/interactions/application-commands#application-command-object
 */
export function validateCommands(body: unknown): ApiError | null {
  const list = arr(body);
  if (!list) return invalidFormBody({ _errors: [{ code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' }] });
  const t = new ErrorTree();
  if (list.length > 100) t.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const names = new Set<string>();
  list.forEach((c, i) => validateCommandInto(t, [i], c, names));
  return t.toError();
}

/** Validates one command (for POST); returns the refusal or null. */
export function validateCommand(body: unknown): ApiError | null {
  const t = new ErrorTree();
  validateCommandInto(t, [], body, new Set());
  return t.toError();
}

function validateCommandInto(t: ErrorTree, path: readonly PathPart[], c: unknown, names: Set<string>): void {
  if (!isRecord(c)) return t.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  const type = num(c.type) ?? 1;
  const chatInput = type === 1;
  checkName(t, [...path, 'name'], c.name, chatInput);
  if (chatInput) checkDescription(t, [...path, 'description'], c.description);
  else if (present(c.description)) t.add([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 0 and 0 in length.');
  const key = `${type}:${str(c.name) ?? ''}`;
  if (names.has(key)) t.add([...path, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
  names.add(key);
  const dmp = c.default_member_permissions;
  if (dmp !== undefined && dmp !== null && !(typeof dmp === 'string' && /^\d+$/.test(dmp))) {
    t.add([...path, 'default_member_permissions'], 'BASE_TYPE_STRING', 'Must be a string of digits.');
  }
  const chars = discordLength(str(c.name) ?? '') + discordLength(str(c.description) ?? '') + checkOptions(t, [...path, 'options'], c.options, 0);
  if (chars > 8000) t.add(path, 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (8000)');
}
