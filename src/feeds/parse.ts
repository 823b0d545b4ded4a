import Parser from 'rss-parser';
import { decodeFeedBytes } from './decode.js';
import { FeedParseError } from './errors.js';
import { ITEM_FIELDS, atomLinkHref, authorOf, completeItem, identifyItem, pickAtomLink, type ItemContext, type NormalizedItem } from './normalize-item.js';
import { resolveUrl } from './urls.js';
import { attrOf, childNodes, firstText, firstTextValue, toPlainLine } from './xml-node.js';
import { repairFeedXml } from './xml-repair.js';

export { FeedParseError } from './errors.js';
export type { NormalizedItem } from './normalize-item.js';

/** A parsed feed with everything Newshound reads from it, in plain, predictable shapes. */
export interface NormalizedFeed {
  /** Feed title as plain text. */
  title?: string;
  /** The feed's website (alternate link), absolute. */
  link?: string;
  /** Language tag of the channel (`de`, `en-us`). */
  language?: string;
  /** RSS `<ttl>`: how long the feed may be cached, in minutes. */
  ttlMinutes?: number;
  items: NormalizedItem[];
}

/**
 * A parsed feed whose items carry only what identifies them (title, link, GUID, date) until
 * `complete` is asked for the rest; see {@link parseFeedLazily}.
 */
export interface LazilyParsedFeed extends Omit<NormalizedFeed, 'items'> {
  /** Title, link, GUID and date of each item. */
  items: NormalizedItem[];
  /** Item `index`, fully normalized (as {@link parseFeed} returns it). */
  complete(index: number): NormalizedItem;
}

/** Options of {@link parseFeed}. */
export interface ParseFeedOptions {
  /** The HTTP Content-Type header the body came with (its `charset` matters). */
  contentType?: string;
  /** The URL the feed was fetched from: the last resort for resolving relative links. */
  baseUrl?: string;
}

const RAW = 'raw:';
const FEED_FIELDS = ['$', 'title', 'dc:title', 'link', 'atom:link', 'language', 'dc:language', 'ttl', 'author', 'dc:creator'];

type RawRecord = Record<string, unknown>;

function rawFields(record: RawRecord): RawRecord {
  const out: RawRecord = {};
  for (const [key, value] of Object.entries(record)) if (key.startsWith(RAW)) out[key.slice(RAW.length)] = value;
  return out;
}

/**
 * rss-parser's options typing only allows plain field names for the feed; the library itself
 * accepts `[from, to, { keepArray }]` tuples for both, which is what keeps every raw element.
 */
function createParser(): Parser<RawRecord, RawRecord> {
  const asTuple = (name: string): [string, string, { keepArray: boolean }] => [name, RAW + name, { keepArray: true }];
  const options = {
    customFields: { feed: FEED_FIELDS.map(asTuple), item: ITEM_FIELDS.map(asTuple) },
    // Every text node as `{ _: text }` and every empty element as `{}`: rss-parser then never
    // calls string methods on a value it did not expect (it throws on an unparseable Atom date otherwise).
    xml2js: { explicitCharkey: true, emptyTag: () => ({}) },
  };
  return new Parser(options as unknown as Parser.ParserOptions<RawRecord, RawRecord>);
}

function feedLink(raw: RawRecord, atomDocument: boolean, baseUrl: string | undefined): string | undefined {
  const links = childNodes(raw, 'link');
  let node: unknown;
  let href: string | undefined;
  if (!atomDocument) {
    href = firstText(raw, ['link']);
    node = links[0];
  }
  if (!href) {
    node = pickAtomLink(atomDocument ? links : [...links.filter((l) => attrOf(l, 'href')), ...childNodes(raw, 'atom:link')]);
    href = node === undefined ? undefined : atomLinkHref(node);
  }
  if (!href) return undefined;
  return resolveUrl(href, attrOf(node, 'xml:base') ?? attrOf(raw, 'xml:base'), baseUrl);
}

function ttlMinutes(raw: RawRecord): number | undefined {
  const text = firstText(raw, ['ttl']);
  if (!text || !/^\d{1,7}$/.test(text)) return undefined;
  const minutes = Number(text);
  return minutes > 0 ? minutes : undefined;
}

/**
 * Parses a feed body (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 0.3/1.0) into a {@link NormalizedFeed}.
 *
 * The bytes are decoded (BOM, HTTP charset, XML declaration, UTF-8 with a windows-1252
 * fallback), repaired (undeclared HTML entities, bare `&`, truncation, version-less `<rss>`,
 * DOCTYPEs stripped so no entity is ever expanded), parsed by rss-parser, then normalized: plain
 * text titles, absolute links (`xml:base`, then the feed link, then `baseUrl`), ISO-8601 UTC
 * dates (publication, else update; absent when unparseable), HTML `content`, plain-text
 * `contentSnippet`, string categories and an absolute image URL.
 *
 * @throws FeedParseError when the body is not a feed at all (HTML page, empty body, JSON ...).
 */
export async function parseFeed(bytes: Uint8Array, opts: ParseFeedOptions = {}): Promise<NormalizedFeed> {
  const { complete, ...feed } = await parseFeedLazily(bytes, opts);
  return { ...feed, items: feed.items.map((_, i) => complete(i)) };
}

/**
 * {@link parseFeed} for a poller: the same parse, but an item's content, snippet, author,
 * categories and image (most of the normalizing work) are made only when `complete` asks, so a
 * poll that finds one new item among 20 pays for one.
 */
export async function parseFeedLazily(bytes: Uint8Array, opts: ParseFeedOptions = {}): Promise<LazilyParsedFeed> {
  const { text } = decodeFeedBytes(bytes, opts.contentType);
  const repaired = repairFeedXml(text, { baseUrl: opts.baseUrl });
  let parsed: Parser.Output<RawRecord> & RawRecord;
  try {
    parsed = await createParser().parseString(repaired.xml);
  } catch (error) {
    throw new FeedParseError(`the feed could not be parsed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const atomDocument = repaired.root === 'feed';
  const raw = rawFields(parsed);
  const feed: Omit<NormalizedFeed, 'items'> = {};
  const title = firstTextValue(raw, ['title', 'dc:title'], atomDocument);
  if (title) {
    const plain = toPlainLine(title);
    if (plain) feed.title = plain;
  }
  const link = feedLink(raw, atomDocument, opts.baseUrl);
  if (link) feed.link = link;
  const language = firstText(raw, ['language', 'dc:language']) ?? attrOf(raw, 'xml:lang')?.trim();
  if (language) feed.language = language.replace(/_/g, '-');
  const ttl = atomDocument ? undefined : ttlMinutes(raw);
  if (ttl !== undefined) feed.ttlMinutes = ttl;

  const context: ItemContext = {
    atomDocument,
    fallbackBase: feed.link ?? opts.baseUrl,
    feedAuthor: atomDocument ? authorOf(raw) : undefined,
  };
  const raws = parsed.items.map((item) => rawFields(item));
  const items = raws.map((item) => identifyItem(item, context));
  return { ...feed, items, complete: (index) => completeItem(raws[index], context, items[index]!) };
}
