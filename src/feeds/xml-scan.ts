import { isUtf8 } from 'node:buffer';
import { decodeHTMLStrict } from 'entities';
import { demoronize } from '../core/html-text.js';

/**
 * Lexical helpers of the repair pass: lenient tag and declaration scanning over a string, entity
 * decoding, and escaping for the well-formed output.
 */

/** An XML name (sticky: set `lastIndex`, then `exec`). */
export const NAME_RE = /[A-Za-z_\u00C0-\uFFFF][\w.:\u00B7\u00C0-\uFFFF-]*/y;
const ATTR_NAME_RE = /[^\s=/>"'<]+/y;
const UNQUOTED_VALUE_RE = /[^\s>]*/y;
/** An attribute name a strict XML parser accepts. */
export const XML_ATTR_NAME_RE = /^[A-Za-z_\u00C0-\uFFFF][\w.:\u00B7\u00C0-\uFFFF-]*$/;
// Characters XML 1.0 forbids (sax rejects them); C1 controls are remapped, not removed.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const DISALLOWED_CHARS_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_CLEANING_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const TEXT_ESCAPE_RE = /[&<>]/;
const ATTR_ESCAPE_RE = /[&<>"]/;

/** Removes characters XML forbids and reads C1 controls as the windows-1252 characters they stand for. */
export function clean(text: string): string {
  return NEEDS_CLEANING_RE.test(text) ? demoronize(text.replace(DISALLOWED_CHARS_RE, '')) : text;
}

/** The two names whose HTML5 meaning differs from the XHTML 1.0 entity sets feeds were written against. */
const XHTML1_ANGLE_BRACKETS_RE = /&([lr])ang;/g;

/**
 * XML text to characters: the five XML entities, every HTML named entity (undeclared in XML, but
 * what the author meant), numeric references. Unknown names stay literal text.
 */
export function decodeText(raw: string): string {
  if (raw.indexOf('&') === -1) return clean(raw);
  if (raw.length <= DECODE_CHUNK_CHARS) return decodeReferences(raw);
  // One pass over a huge run of references costs about 50 bytes per reference at its peak (the
  // run regex, then the entity decoder): a 5 MiB text node of `&#65;` took 58 MiB. In pieces it
  // costs what one piece does (RELIABILITY F5: < 50 MiB per parse).
  const parts: string[] = [];
  for (let start = 0; start < raw.length; ) {
    const end = cutPoint(raw, start + DECODE_CHUNK_CHARS);
    parts.push(decodeReferences(raw.slice(start, end)));
    start = end;
  }
  return parts.join('');
}

/** Longer text is decoded in pieces of about this many characters. */
const DECODE_CHUNK_CHARS = 32_768;

function decodeReferences(raw: string): string {
  let text = raw.indexOf('ang;') === -1 ? raw : raw.replace(XHTML1_ANGLE_BRACKETS_RE, (_m, side: string) => (side === 'l' ? '\u2329' : '\u232a'));
  text = text.replace(REFERENCE_RUN_RE, decodeEscapedUtf8);
  return clean(decodeHTMLStrict(text));
}

/**
 * Where to end a piece, at or after `from`: before an `&`, never inside a reference, and never
 * inside a byte-escaped UTF-8 sequence (a lead byte and up to 3 continuation bytes 0x80-0xBF).
 */
function cutPoint(raw: string, from: number): number {
  let continuations = 0;
  for (let i = raw.indexOf('&', from); i !== -1; i = raw.indexOf('&', i + 1)) {
    if (raw.charCodeAt(i - 1) !== 0x3b) return i;
    const semi = raw.indexOf(';', i);
    const code = semi === -1 || semi - i > 33 ? -1 : referenceCode(raw.slice(i, semi + 1));
    if (code < 0x80 || code > 0xbf || continuations >= 3) return i;
    continuations++;
  }
  return raw.length;
}

/** The character code a single reference stands for, or -1. */
function referenceCode(reference: string): number {
  if (reference[1] === '#') {
    const hex = reference[2] === 'x' || reference[2] === 'X';
    const code = parseInt(reference.slice(hex ? 3 : 2, -1), hex ? 16 : 10);
    return Number.isNaN(code) ? -1 : code;
  }
  const char = decodeHTMLStrict(reference);
  return char.length === 1 && char !== reference ? char.charCodeAt(0) : -1;
}

const REFERENCE_RUN_RE = /(?:&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[A-Za-z][A-Za-z\d]{1,31});){2,}/g;
const REFERENCE_RE = /&[^;]+;/g;

/**
 * UTF-8 escaped byte by byte (`&#226;&#128;&#166;`, `&acirc;&#128;&brvbar;` for `…`): a run of
 * references to U+0080-U+00FF that forms valid multi-byte UTF-8 is decoded as UTF-8. Real Latin-1
 * text practically never forms such a run; anything else is left for the normal decoding.
 */
function decodeEscapedUtf8(run: string): string {
  const bytes: number[] = [];
  for (const [reference] of run.matchAll(REFERENCE_RE)) {
    // Numeric references by their number: HTML would read &#128; as the euro sign, but here it is a byte.
    const numeric = reference[1] === '#';
    const hex = numeric && (reference[2] === 'x' || reference[2] === 'X');
    const char = numeric ? '' : decodeHTMLStrict(reference);
    const code = numeric ? parseInt(reference.slice(hex ? 3 : 2, -1), hex ? 16 : 10) : char.length === 1 ? char.charCodeAt(0) : -1;
    if (code < 0x80 || code > 0xff) return run;
    bytes.push(code);
  }
  const buffer = Buffer.from(bytes);
  return isUtf8(buffer) ? buffer.toString('utf8') : run;
}

/** Escapes character data for XML (and HTML) output. */
export function escapeText(text: string): string {
  if (!TEXT_ESCAPE_RE.test(text)) return text;
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Escapes a double-quoted attribute value. */
export function escapeAttr(text: string): string {
  if (!ATTR_ESCAPE_RE.test(text)) return text;
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/**
 * Character data as a CDATA section when it holds markup characters: the XML parser then copies
 * it instead of decoding an entity for every `<` of an HTML body.
 */
export function textOrCdata(text: string): string {
  if (!TEXT_ESCAPE_RE.test(text)) return text;
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** ` name="value"` pairs for a start tag. */
export function attributesToString(attrs: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [name, value] of attrs) out += ` ${name}="${escapeAttr(value)}"`;
  return out;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** A start tag as written: raw names, entity-decoded attribute values. */
export interface Tag {
  name: string;
  attrs: Array<[string, string]>;
  selfClosing: boolean;
  end: number;
}

const DECLARATION_HEAD_RE = /<![^>[]*(\[)?/y;
const SUBSET_END_RE = /\]\s*>/g;
const TAG_END_RE = /[^<>]*>/y;

/**
 * `<!DOCTYPE ...>` including an internal subset: skipped whole, so no entity is ever declared.
 * Returns the index after the declaration.
 */
export function skipDeclaration(src: string, lt: number): number {
  DECLARATION_HEAD_RE.lastIndex = lt;
  const head = DECLARATION_HEAD_RE.exec(src);
  if (!head) return src.length;
  const after = lt + head[0].length;
  if (head[1] === undefined) return after < src.length ? after + 1 : src.length;
  SUBSET_END_RE.lastIndex = after;
  const end = SUBSET_END_RE.exec(src);
  return end ? end.index + end[0].length : src.length;
}

/**
 * Where a construct that should end with `>` ends: after its `>` when one comes before the next
 * `<`, else at that `<` (a missing `>`), else at the end of the text. Never scans past the next `<`.
 */
export function tagEnd(src: string, from: number): number {
  TAG_END_RE.lastIndex = from;
  const match = TAG_END_RE.exec(src);
  if (match) return from + match[0].length;
  const next = src.indexOf('<', from);
  return next === -1 ? src.length : next;
}

/** `null`: not a tag (a bare `<`); `undefined`: the document ends inside the tag. */
export function parseTag(src: string, lt: number): Tag | null | undefined {
  const n = src.length;
  NAME_RE.lastIndex = lt + 1;
  const nameMatch = NAME_RE.exec(src);
  if (!nameMatch) return null;
  const attrs: Array<[string, string]> = [];
  let i = lt + 1 + nameMatch[0].length;
  let selfClosing = false;
  for (;;) {
    while (i < n && isWhitespace(src.charCodeAt(i))) i++;
    if (i >= n) return undefined;
    const c = src[i];
    if (c === '>') {
      i++;
      break;
    }
    if (c === '/') {
      i++;
      if (src[i] === '>') {
        selfClosing = true;
        i++;
        break;
      }
      continue;
    }
    if (c === '<') break;
    ATTR_NAME_RE.lastIndex = i;
    const attrName = ATTR_NAME_RE.exec(src)?.[0];
    if (attrName === undefined) {
      i++;
      continue;
    }
    i += attrName.length;
    while (i < n && isWhitespace(src.charCodeAt(i))) i++;
    let value = '';
    if (src[i] === '=') {
      i++;
      while (i < n && isWhitespace(src.charCodeAt(i))) i++;
      const quote = src[i];
      if (quote === '"' || quote === "'") {
        const close = src.indexOf(quote, i + 1);
        if (close === -1) return undefined;
        value = src.slice(i + 1, close);
        i = close + 1;
      } else {
        UNQUOTED_VALUE_RE.lastIndex = i;
        value = UNQUOTED_VALUE_RE.exec(src)?.[0] ?? '';
        i += value.length;
      }
    }
    attrs.push([attrName, decodeText(value)]);
  }
  return { name: nameMatch[0], attrs, selfClosing, end: i };
}

