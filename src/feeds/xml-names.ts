/**
 * Namespace-aware names for the repair pass: whatever prefix a feed binds to a known namespace,
 * the repaired document uses one fixed spelling (`dc:creator`, `content:encoded`, `rdf:about`),
 * and the feed format's own elements carry no prefix. rss-parser (xml2js) is not namespace
 * aware, so this is what makes `<rss:title>` a title and keeps `<szf:description>` from being one.
 */

/** Prefix namespace map in scope; the empty string is the default namespace. */
export type NamespaceMap = ReadonlyMap<string, string>;

const ATOM_NAMESPACES: ReadonlySet<string> = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#']);

const CANONICAL_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['http://purl.org/rss/1.0/', ''],
  ['http://my.netscape.com/rdf/simple/0.9/', ''],
  ['http://backend.userland.com/rss2', ''],
  ['http://backend.userland.com/rss', ''],
  ['http://purl.org/net/rss1.1#', ''],
  ['http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'rdf'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
  ['http://purl.org/dc/elements/1.0/', 'dc'],
  ['http://purl.org/dc/terms/', 'dcterms'],
  ['http://purl.org/rss/1.0/modules/content/', 'content'],
  ['http://search.yahoo.com/mrss/', 'media'],
  ['http://search.yahoo.com/mrss', 'media'],
  ['http://www.itunes.com/dtds/podcast-1.0.dtd', 'itunes'],
  ['http://www.w3.org/1999/xhtml', 'xhtml'],
  ['http://www.w3.org/XML/1998/namespace', 'xml'],
  ['http://rssnamespace.org/feedburner/ext/1.0', 'feedburner'],
]);

/** Core element names, keyed by lower case, so `<pubdate>` and `<Title>` read as `pubDate` and `title`. */
const CORE_SPELLINGS: ReadonlyMap<string, string> = new Map(
  [
    'rss', 'channel', 'item', 'title', 'link', 'description', 'guid', 'pubDate', 'author', 'category', 'enclosure',
    'comments', 'source', 'language', 'ttl', 'image', 'url', 'lastBuildDate', 'managingEditor', 'webMaster',
    'textInput', 'feed', 'entry', 'id', 'updated', 'published', 'summary', 'content', 'subtitle', 'name', 'email',
    'issued', 'modified', 'created', 'tagline',
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * Elements whose content is text or (X)HTML: inline markup inside them is serialized back to an
 * HTML string instead of becoming XML structure.
 */
export const TEXT_ELEMENTS: ReadonlySet<string> = new Set([
  'title', 'description', 'summary', 'content', 'subtitle', 'tagline', 'info', 'rights', 'copyright',
  'content:encoded', 'dc:description', 'dc:title', 'dc:rights', 'media:title', 'media:description',
  'itunes:summary', 'itunes:subtitle', 'atom:title', 'atom:summary', 'atom:content', 'atom:subtitle', 'xhtml:body',
  'body', 'fullitem',
]);

/** HTML elements that never have a closing tag. */
export const VOID_HTML_ELEMENTS: ReadonlySet<string> = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

/** Splits `prefix:local`; a name without a colon has the empty prefix. */
export function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  return colon === -1 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/**
 * The canonical spelling of an element name: known namespaces get their fixed prefix, the feed's
 * own namespace none; unknown prefixed names keep their prefix; unprefixed names stay unprefixed.
 * `rootDefault` is the default namespace the root element declared: whatever it is (even Atom on
 * an `<rss>`), unprefixed elements in it are the document's core vocabulary.
 */
export function canonicalElementName(
  rawName: string,
  namespaces: NamespaceMap,
  atomDocument: boolean,
  rootDefault: string | undefined,
): string {
  const [prefix, local] = splitName(rawName);
  if (prefix === 'xml') return rawName;
  const uri = namespaces.get(prefix);
  let canonical: string | undefined;
  if (prefix === '' && uri === rootDefault) canonical = '';
  else if (uri !== undefined && ATOM_NAMESPACES.has(uri)) canonical = atomDocument ? '' : 'atom';
  else if (uri !== undefined) canonical = CANONICAL_PREFIXES.get(uri);
  if (canonical === undefined) canonical = prefix;
  if (canonical === '') return CORE_SPELLINGS.get(local.toLowerCase()) ?? local;
  return `${canonical}:${local}`;
}

/** The canonical spelling of an attribute name; unprefixed attributes belong to no namespace and keep their name. */
export function canonicalAttributeName(rawName: string, namespaces: NamespaceMap): string {
  const [prefix, local] = splitName(rawName);
  if (prefix === '' || prefix === 'xml') return rawName;
  const uri = namespaces.get(prefix);
  if (uri === undefined) return rawName;
  const canonical = ATOM_NAMESPACES.has(uri) ? '' : CANONICAL_PREFIXES.get(uri);
  if (canonical === undefined) return rawName;
  return canonical === '' ? local : `${canonical}:${local}`;
}

/** Applies the `xmlns` declarations among an element's attributes to the map in scope. */
export function withDeclarations(parent: NamespaceMap, attributes: ReadonlyArray<readonly [string, string]>): NamespaceMap {
  let map: Map<string, string> | undefined;
  for (const [name, value] of attributes) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    map ??= new Map(parent);
    map.set(name === 'xmlns' ? '' : name.slice(6), value.trim());
  }
  return map ?? parent;
}
