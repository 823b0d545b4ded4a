import { decodeHTMLStrict } from 'entities';
import type { FeedItem } from '../core/story.js';
import { parseFeedDate } from './dates.js';
import { firstImageSrc, isWebUrl, resolveHtmlUrls, resolveUrl } from './urls.js';
import {
  attrOf, childNodes, firstChild, firstText, firstTextValue, textOf, toHtml, toPlainLine, toPlainText,
  type TextValue,
} from './xml-node.js';

/** One story of a feed, normalized (the shape the core's story identity takes). See `parseFeed`. */
export type NormalizedItem = FeedItem;

/** What an item needs to know about its feed. */
export interface ItemContext {
  atomDocument: boolean;
  /** Base for relative URLs when the element has no `xml:base`: the feed link, else the document URL. */
  fallbackBase: string | undefined;
  /** Atom entries without an author inherit the feed's. */
  feedAuthor: string | undefined;
}

/** Publication dates first, then update dates: the first field with a parseable value wins. */
const DATE_FIELDS = [
  'pubDate', 'published', 'dc:date', 'issued', 'dcterms:issued', 'created', 'dcterms:created', 'dcterms:date',
  'updated', 'modified', 'dcterms:modified', 'atom:published', 'atom:updated',
] as const;

const BODY_FIELDS = ['content:encoded', 'content', 'atom:content', 'xhtml:body', 'body', 'fullitem'] as const;
const SUMMARY_FIELDS = ['description', 'summary', 'dc:description', 'atom:summary', 'itunes:summary'] as const;

/** Every raw element the normalizer reads from an item; rss-parser copies them through `customFields`. */
export const ITEM_FIELDS: readonly string[] = [
  ...new Set<string>([
    '$', 'title', 'dc:title', 'atom:title', 'link', 'atom:link', 'guid', 'id', 'atom:id', ...DATE_FIELDS,
    ...BODY_FIELDS, ...SUMMARY_FIELDS, 'author', 'dc:creator', 'dc:author', 'itunes:author', 'atom:author',
    'category', 'dc:subject', 'enclosure', 'media:description', 'media:content', 'media:thumbnail', 'media:group', 'itunes:image',
  ]),
];

function baseOf(node: unknown, context: ItemContext): string | undefined {
  return attrOf(node, 'xml:base') ?? context.fallbackBase;
}

/** The Atom link to show: `rel="alternate"` (the default), HTML before other types. */
export function pickAtomLink(links: readonly unknown[]): unknown {
  const candidates = links.filter((link) => (attrOf(link, 'rel') ?? 'alternate').trim().toLowerCase() === 'alternate');
  return candidates.find((link) => /html/i.test(attrOf(link, 'type') ?? 'text/html')) ?? candidates[0];
}

/** An Atom link's `href`, or its text for the links that put the URL there instead. */
export function atomLinkHref(link: unknown): string | undefined {
  return (attrOf(link, 'href') ?? textOf(link))?.trim() || undefined;
}

function itemLink(raw: unknown, context: ItemContext): string | undefined {
  const links = childNodes(raw, 'link');
  const atomLinks = [...links.filter((l) => attrOf(l, 'href') !== undefined), ...childNodes(raw, 'atom:link')];
  const plain = links.find((l) => attrOf(l, 'href') === undefined && attrOf(l, 'rel') === undefined && textOf(l)?.trim());
  let node: unknown = plain;
  let href = plain === undefined ? undefined : textOf(plain)?.trim();
  if (href === undefined) {
    node = pickAtomLink(atomLinks) ?? pickAtomLink(links);
    href = node === undefined ? undefined : atomLinkHref(node);
  }
  if (href === undefined) {
    // An RSS guid is a permalink unless it says otherwise.
    const guid = firstChild(raw, 'guid');
    const guidText = textOf(guid)?.trim();
    if (guidText && attrOf(guid, 'isPermaLink')?.trim().toLowerCase() !== 'false' && /^https?:\/\//i.test(guidText)) {
      node = guid;
      href = guidText;
    }
  }
  return href === undefined ? undefined : resolveUrl(href, baseOf(node, context), context.fallbackBase);
}

function itemGuid(raw: unknown): string | undefined {
  return firstText(raw, ['guid', 'id', 'atom:id']) ?? (attrOf(raw, 'rdf:about')?.trim() || undefined);
}

/** Within one field the last parseable value wins, as in feedparser (a repeated element overrides). */
function itemDate(raw: unknown): string | undefined {
  for (const field of DATE_FIELDS) {
    const nodes = childNodes(raw, field);
    for (let i = nodes.length - 1; i >= 0; i--) {
      const iso = parseFeedDate(textOf(nodes[i]));
      if (iso) return iso;
    }
  }
  return undefined;
}

/** An Atom `content` that only points elsewhere (`src`) is not a body. */
function isUsableBody(text: TextValue): boolean {
  return attrOf(text.node, 'src') === undefined || text.value.trim() !== '';
}

function personName(node: unknown): string | undefined {
  const name = firstText(node, ['name', 'atom:name']);
  if (name) return name;
  const text = textOf(node)?.trim();
  if (text) return text;
  return firstText(node, ['email', 'atom:email']);
}

/** First author's name (Atom), or the raw RSS `author` / `dc:creator` text. */
export function authorOf(raw: unknown): string | undefined {
  for (const field of ['author', 'dc:creator', 'dc:author', 'itunes:author', 'atom:author']) {
    for (const node of childNodes(raw, field)) {
      const name = personName(node);
      if (name) return name.replace(/\s+/g, ' ');
    }
  }
  return undefined;
}

function categoriesOf(raw: unknown): string[] | undefined {
  const found = new Set<string>();
  for (const field of ['category', 'dc:subject']) {
    for (const node of childNodes(raw, field)) {
      const term = [attrOf(node, 'term'), textOf(node), attrOf(node, 'label')].find((value) => value?.trim());
      const clean = term?.replace(/\s+/g, ' ').trim();
      if (clean) found.add(clean);
    }
  }
  return found.size > 0 ? [...found] : undefined;
}

const IMAGE_EXTENSION_RE = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

function isImageMedia(node: unknown, urlAttr: string): boolean {
  const type = attrOf(node, 'type') ?? '';
  const medium = attrOf(node, 'medium') ?? '';
  if (type.startsWith('image/') || medium === 'image') return true;
  return type === '' && medium === '' && IMAGE_EXTENSION_RE.test(attrOf(node, urlAttr) ?? '');
}

function imageOf(raw: unknown, content: string | undefined, context: ItemContext): string | undefined {
  const candidates: Array<[unknown, string | undefined]> = [];
  for (const node of childNodes(raw, 'enclosure')) if (isImageMedia(node, 'url')) candidates.push([node, attrOf(node, 'url')]);
  const groups = childNodes(raw, 'media:group');
  for (const parent of [raw, ...groups]) {
    for (const node of childNodes(parent, 'media:content')) if (isImageMedia(node, 'url')) candidates.push([node, attrOf(node, 'url')]);
    for (const node of childNodes(parent, 'media:thumbnail')) candidates.push([node, attrOf(node, 'url')]);
  }
  for (const node of childNodes(raw, 'itunes:image')) candidates.push([node, attrOf(node, 'href') ?? textOf(node)]);
  for (const node of childNodes(raw, 'link')) {
    if (attrOf(node, 'rel') === 'enclosure' && (attrOf(node, 'type') ?? '').startsWith('image/')) candidates.push([node, attrOf(node, 'href')]);
  }
  // An HTML attribute value may still hold entities (`&amp;`); XML attribute values are decoded already.
  const inContent = content === undefined ? undefined : firstImageSrc(content);
  if (inContent !== undefined) candidates.push([undefined, decodeHTMLStrict(inContent)]);
  for (const [node, url] of candidates) {
    if (!url?.trim()) continue;
    const absolute = resolveUrl(url, baseOf(node, context), context.fallbackBase);
    if (isWebUrl(absolute)) return absolute;
  }
  return undefined;
}

/** Media RSS description (YouTube and podcasts put the only summary there); plain text unless typed html. */
function mediaDescription(raw: unknown): TextValue | undefined {
  for (const parent of [raw, ...childNodes(raw, 'media:group')]) {
    const text = firstTextValue(parent, ['media:description'], true);
    if (text) return text;
  }
  return undefined;
}

/**
 * The fields of one rss-parser item (its raw `customFields` elements) that say which story it
 * is: title, link, GUID and date. Cheap; {@link completeItem} adds the rest.
 */
export function identifyItem(raw: unknown, context: ItemContext): NormalizedItem {
  const item: NormalizedItem = {};
  const title = firstTextValue(raw, ['title', 'dc:title', 'atom:title'], context.atomDocument);
  if (title) item.title = toPlainLine(title);
  const link = itemLink(raw, context);
  if (link) item.link = link;
  const guid = itemGuid(raw);
  if (guid) item.guid = guid;
  const isoDate = itemDate(raw);
  if (isoDate) item.isoDate = isoDate;
  return item;
}

/**
 * Adds what only a story worth storing needs (content, plain-text snippet, author, categories,
 * image) to an item from {@link identifyItem}: most of the normalizing work, so a poll spends it
 * on new items only.
 */
export function completeItem(raw: unknown, context: ItemContext, identified: NormalizedItem): NormalizedItem {
  const item: NormalizedItem = { ...identified };
  const summary = firstTextValue(raw, SUMMARY_FIELDS, context.atomDocument) ?? mediaDescription(raw);
  let body = firstTextValue(raw, BODY_FIELDS, context.atomDocument);
  if (body && !isUsableBody(body)) body = undefined;
  const richest = body ?? summary;
  if (richest) item.content = resolveHtmlUrls(toHtml(richest), baseOf(richest.node, context));
  // A summary with no text (a lone tracking pixel) gives way to the body.
  const snippet = (summary && toPlainText(summary)) || (body && toPlainText(body));
  if (snippet) item.contentSnippet = snippet;

  const author = authorOf(raw) ?? context.feedAuthor;
  if (author) item.author = author;
  const categories = categoriesOf(raw);
  if (categories) item.categories = categories;
  const image = imageOf(raw, item.content, context);
  if (image) item.image = image;
  return item;
}
