import { htmlToText, looksLikeHtml } from '../core/html-text.js';

/**
 * Readers for the xml2js values rss-parser hands back (`explicitCharkey`, `explicitArray`):
 * an element is `{ _?: text, $?: attributes, [child]: element[] }`, and a value may still be a
 * bare string. Everything is `unknown` until narrowed here.
 */

/** An xml2js element: text under `_`, attributes under `$`, children by name. */
export type XmlElement = Record<string, unknown>;

/** The value as an element object, or `undefined` for strings, arrays and nothing. */
export function asElement(value: unknown): XmlElement | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlElement) : undefined;
}

/** The values under a key, as an array whatever xml2js produced. */
export function childNodes(parent: unknown, name: string): unknown[] {
  const value = asElement(parent)?.[name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The character data of an element (`''` for an empty one), or `undefined` for a non-element. */
export function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const el = asElement(node);
  if (!el) return undefined;
  return typeof el._ === 'string' ? el._ : '';
}

/** An attribute of an element, by its (canonical) name. */
export function attrOf(node: unknown, name: string): string | undefined {
  const value = asElement(asElement(node)?.$)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** First child element of `name`, or `undefined`. */
export function firstChild(parent: unknown, name: string): unknown {
  return childNodes(parent, name)[0];
}

/** Trimmed text of the first child of one of `names` whose text is not blank. */
export function firstText(parent: unknown, names: readonly string[]): string | undefined {
  for (const name of names) {
    for (const node of childNodes(parent, name)) {
      const text = textOf(node)?.trim();
      if (text) return text;
    }
  }
  return undefined;
}

/** How a text element's value must be read. `untyped`: an RSS element, HTML or plain text alike. */
export type TextKind = 'html' | 'text' | 'untyped';

/** A text element's value with how to read it; `node` is kept for its attributes (`xml:base`). */
export interface TextValue {
  value: string;
  kind: TextKind;
  node: unknown;
}

/**
 * Reads an RSS/Atom text element. Atom's `type` (`text`, `html`, `xhtml`, and Atom 0.3's MIME
 * types and `mode="escaped"`) decides; the repair pass marks inline markup as `type="html"`.
 * Untyped elements are plain text in Atom and guesswork in RSS.
 */
export function readText(node: unknown, atomDocument: boolean): TextValue | undefined {
  const value = textOf(node);
  if (value === undefined) return undefined;
  const type = (attrOf(node, 'type') ?? '').trim().toLowerCase();
  if (isBase64(node, type)) {
    const decoded = decodeBase64Text(value);
    return decoded === undefined ? undefined : { value: decoded, kind: 'html', node };
  }
  let kind: TextKind;
  if (type.includes('html') || attrOf(node, 'mode') === 'escaped') kind = 'html';
  else if (type !== '' || atomDocument) kind = 'text';
  else kind = 'untyped';
  return { value, kind, node };
}

/** Atom 0.3 `mode="base64"`, or an Atom 1.0 media type that is neither text nor XML. */
function isBase64(node: unknown, type: string): boolean {
  if (attrOf(node, 'mode') === 'base64') return true;
  return type.includes('/') && !type.startsWith('text/') && !type.includes('xml') && !type.includes('html');
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what marks binary data
const BINARY_TEXT_RE = /[\u0000-\u0008\u000E-\u001F\uFFFD]/;

/** Base64 that decodes to UTF-8 text; binary payloads (images ...) are not text. */
function decodeBase64Text(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return BINARY_TEXT_RE.test(decoded) ? undefined : decoded;
}

/** First non-blank text element among `names`, in that order of preference. */
export function firstTextValue(parent: unknown, names: readonly string[], atomDocument: boolean): TextValue | undefined {
  for (const name of names) {
    for (const node of childNodes(parent, name)) {
      const text = readText(node, atomDocument);
      if (text && text.value.trim() !== '') return text;
    }
  }
  return undefined;
}

const HTML_ESCAPE_RE = /[&<>"]/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for use as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_ESCAPE_RE, (ch) => HTML_ESCAPES[ch] ?? ch);
}

const WHITESPACE_RE = /[\t\n\f\r \u00a0]+/g;
const INLINE_WHITESPACE_RE = /[\t\f\r \u00a0]+/g;

/** The value as plain text on one line (for titles). */
export function toPlainLine(text: TextValue): string {
  return toPlainText(text).replace(WHITESPACE_RE, ' ').trim();
}

/** The value as plain text. */
export function toPlainText(text: TextValue): string {
  if (text.kind === 'html' || (text.kind === 'untyped' && looksLikeHtml(text.value))) return htmlToText(text.value);
  return text.value.replace(INLINE_WHITESPACE_RE, ' ').replace(/ *\n[\n ]*/g, '\n').trim();
}

/** The value as HTML. */
export function toHtml(text: TextValue): string {
  if (text.kind === 'html' || (text.kind === 'untyped' && looksLikeHtml(text.value))) return text.value;
  return escapeHtml(text.value);
}
