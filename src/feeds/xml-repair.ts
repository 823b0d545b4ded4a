import { FeedParseError } from './errors.js';
import {
  TEXT_ELEMENTS, VOID_HTML_ELEMENTS, canonicalAttributeName, canonicalElementName, splitName, withDeclarations,
  type NamespaceMap,
} from './xml-names.js';
import {
  NAME_RE, XML_ATTR_NAME_RE, attributesToString, clean, decodeText, escapeAttr, escapeText, parseTag, skipDeclaration, tagEnd, textOrCdata,
  type Tag,
} from './xml-scan.js';

/** The feed formats rss-parser can build, by the repaired document's root element. */
export type FeedRoot = 'rss' | 'rdf:RDF' | 'feed';

/** A well-formed, canonicalized document ready for rss-parser. */
export interface RepairedFeed {
  xml: string;
  root: FeedRoot;
}

/** Elements nested deeper than this outside text content are dropped (100k nested tags cost nothing). */
const MAX_DEPTH = 64;
const NO_NAMESPACES: NamespaceMap = new Map();

/** Only web URLs (or a still-relative reference) may serve as a base: `javascript:` never does. */
function acceptableBase(url: string): string | undefined {
  return /^https?:/i.test(url) || !/^[a-z][a-z\d+.-]*:/i.test(url) ? url : undefined;
}

function resolveUrl(ref: string, base: string | undefined): string {
  try {
    return new URL(ref.trim(), base).href;
  } catch {
    return ref.trim();
  }
}

interface Frame {
  raw: string;
  name: string;
  namespaces: NamespaceMap;
  base: string | undefined;
  hasChannel: boolean;
}

/** A text element being collected: plain text, or HTML once inline markup shows up inside it. */
interface TextElement {
  raw: string;
  name: string;
  attrs: Array<[string, string]>;
  sameNameDepth: number;
  innerDepth: number;
  text: string[];
  markup: string[] | undefined;
  /** Inline elements open deeper than MAX_DEPTH: dropped (their text is kept). */
  skippedDepth: number;
  topElements: number;
  topText: boolean;
  wrapperName: string;
  wrapperOpen: number;
  wrapperClose: number;
}

/**
 * One forward pass over the decoded text that emits a well-formed document: DOCTYPE (with its
 * internal subset), comments and processing instructions dropped, entities decoded (undeclared
 * HTML names included, unknown ones kept as literal text), bare `&` and `<` escaped, forbidden
 * characters removed, unquoted and duplicate attributes fixed, mismatched and missing end tags
 * closed, names canonicalized by namespace, inline (X)HTML in text elements turned into an HTML
 * string, and the effective `xml:base` written onto every element it applies to.
 */
class Repairer {
  private readonly out: string[] = [];
  private readonly stack: Frame[] = [];
  private text: TextElement | undefined;
  private skipped = 0;
  private root: FeedRoot | undefined;
  private atomDocument = false;
  private rootDefault: string | undefined;
  private finished = false;

  constructor(
    private readonly src: string,
    private readonly baseUrl: string | undefined,
  ) {}

  run(): RepairedFeed {
    const s = this.src;
    const n = s.length;
    let pos = 0;
    while (pos < n && !this.finished) {
      const lt = s.indexOf('<', pos);
      const end = lt === -1 ? n : lt;
      if (end > pos) this.onText(s.slice(pos, end), false);
      if (lt === -1) break;
      pos = this.onMarkup(lt);
    }
    if (this.text) this.finishText();
    this.closeTo(0);
    if (!this.root) throw new FeedParseError('the document contains no XML element (empty or not XML), so it is not a feed');
    return { xml: this.out.join(''), root: this.root };
  }

  private onMarkup(lt: number): number {
    const s = this.src;
    const n = s.length;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      return end === -1 ? n : end + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      this.onText(s.slice(lt + 9, end === -1 ? n : end), true);
      return end === -1 ? n : end + 3;
    }
    if (s.startsWith('<!', lt)) return skipDeclaration(s, lt);
    if (s.startsWith('<?', lt)) return tagEnd(s, lt + 2);
    if (s.charCodeAt(lt + 1) === 0x2f) return this.onCloseTag(lt);
    const tag = parseTag(s, lt);
    if (tag === null) {
      this.onText('<', true);
      return lt + 1;
    }
    if (tag === undefined) return n;
    this.onOpenTag(tag);
    return tag.end;
  }

  private onText(raw: string, literal: boolean): void {
    if (this.stack.length === 0 && !this.text) return;
    const value = literal ? clean(raw) : decodeText(raw);
    if (this.text) this.addText(value);
    else this.out.push(escapeText(value));
  }

  private onOpenTag(tag: Tag): void {
    if (this.text) {
      this.addMarkupTag(tag);
      return;
    }
    if (this.root && this.stack.length === 0) {
      this.finished = true;
      return;
    }
    if (this.skipped > 0 || this.stack.length >= MAX_DEPTH) {
      if (!tag.selfClosing) this.skipped++;
      return;
    }
    let parent = this.stack[this.stack.length - 1];
    const namespaces = withDeclarations(parent?.namespaces ?? NO_NAMESPACES, tag.attrs);
    if (!parent) this.atomDocument = ['feed', 'entry'].includes(splitName(tag.name)[1].toLowerCase());
    if (!parent) this.rootDefault = namespaces.get('');
    let name = canonicalElementName(tag.name, namespaces, this.atomDocument, this.rootDefault);
    if (!parent && name === 'entry') {
      // An Atom entry document: the feed of one entry.
      this.root = 'feed';
      parent = this.openImplied('feed', namespaces);
    } else if (!parent) {
      name = this.acceptRoot(name);
    } else if (this.root === 'rss' && this.stack.length === 1 && name === 'item' && !parent.hasChannel) {
      // Items directly under <rss>: they belong to a channel.
      parent.hasChannel = true;
      parent = this.openImplied('channel', namespaces);
    } else if (name === 'channel' && this.stack.length === 2 && parent.raw === '' && parent.name === 'channel') {
      return;
    }
    let base = parent?.base;
    const attrs: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const [rawName, value] of tag.attrs) {
      if (rawName === 'xmlns' || rawName.startsWith('xmlns:')) continue;
      const attrName = canonicalAttributeName(rawName, namespaces);
      if (attrName === 'xml:base') base = acceptableBase(resolveUrl(value, base ?? this.baseUrl)) ?? base;
      else if (!seen.has(attrName) && XML_ATTR_NAME_RE.test(attrName)) attrs.push([attrName, value]);
      seen.add(attrName);
    }
    if (base !== undefined) attrs.push(['xml:base', base]);
    // Atom's default rel, made explicit: rss-parser reads `link.$.rel` and throws on a link without attributes.
    if (this.atomDocument && name === 'link' && !seen.has('rel')) attrs.push(['rel', 'alternate']);
    if (name === 'rss') {
      const version = attrs.findIndex(([attrName]) => attrName === 'version');
      if (version !== -1) attrs.splice(version, 1);
      attrs.unshift(['version', '2.0']);
    }
    if (parent && name === 'channel' && this.stack.length === 1) parent.hasChannel = true;
    if (parent && TEXT_ELEMENTS.has(name) && !tag.selfClosing) {
      this.text = {
        raw: tag.name, name, attrs, sameNameDepth: 0, innerDepth: 0, text: [], markup: undefined, skippedDepth: 0,
        topElements: 0, topText: false, wrapperName: '', wrapperOpen: -1, wrapperClose: -1,
      };
      return;
    }
    this.out.push(`<${name}${attributesToString(attrs)}>`);
    this.stack.push({ raw: tag.name, name, namespaces, base, hasChannel: false });
    if (tag.selfClosing) this.closeTo(this.stack.length - 1);
  }

  /** Opens an element the document left out; it has no end tag of its own to match. */
  private openImplied(name: string, namespaces: NamespaceMap): Frame {
    const frame: Frame = { raw: '', name, namespaces, base: undefined, hasChannel: true };
    this.out.push(`<${name}>`);
    this.stack.push(frame);
    return frame;
  }

  private acceptRoot(name: string): string {
    const local = splitName(name)[1];
    if (name === 'rss' || name === 'feed') this.root = name;
    else if (local.toLowerCase() === 'rdf') this.root = 'rdf:RDF';
    else if (local.toLowerCase() === 'html') throw new FeedParseError('the document is an HTML page, not a feed');
    else throw new FeedParseError(`the document's root element <${name}> is not RSS, RDF or Atom`);
    return this.root;
  }

  private onCloseTag(lt: number): number {
    const s = this.src;
    NAME_RE.lastIndex = lt + 2;
    const name = NAME_RE.exec(s)?.[0];
    const end = tagEnd(s, lt + 2 + (name?.length ?? 0));
    if (name === undefined) return end;
    if (this.text && this.closeInText(name)) return end;
    if (this.skipped > 0) {
      this.skipped--;
      return end;
    }
    let index = this.stack.findLastIndex((frame) => frame.raw === name);
    if (index === -1) {
      const lower = name.toLowerCase();
      index = this.stack.findLastIndex((frame) => frame.raw.toLowerCase() === lower);
    }
    // The channel stays open until </rss>: items after </channel> still belong to it.
    const channelEnd = index === 1 && this.root === 'rss' && this.stack[1]?.name === 'channel';
    if (index !== -1 && !channelEnd) this.closeTo(index);
    return end;
  }

  private closeTo(index: number): void {
    while (this.stack.length > index) {
      const frame = this.stack.pop();
      if (!frame) break;
      // rss-parser needs a channel to build a feed; an <rss> without one is an empty feed.
      if (this.stack.length === 0 && !frame.hasChannel && frame.name !== 'feed') this.out.push('<channel></channel>');
      this.out.push(`</${frame.name}>`);
    }
  }

  private addText(value: string): void {
    const el = this.text;
    if (!el) return;
    el.text.push(value);
    if (el.markup) el.markup.push(escapeText(value));
    if (el.innerDepth === 0 && !el.topText && /\S/.test(value)) el.topText = true;
  }

  private addMarkupTag(tag: Tag): void {
    const el = this.text;
    if (!el) return;
    el.markup ??= [escapeText(el.text.join(''))];
    const name = splitName(tag.name)[1].toLowerCase();
    let attrs = '';
    for (const [attrName, value] of tag.attrs) {
      if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) continue;
      attrs += ` ${splitName(attrName)[1]}="${escapeAttr(value)}"`;
    }
    if (tag.name === el.raw && !tag.selfClosing) el.sameNameDepth++;
    const isVoid = VOID_HTML_ELEMENTS.has(name);
    // As outside text content: 100k nested tags in a description cost nothing (RELIABILITY F5).
    if (el.skippedDepth > 0 || (el.innerDepth >= MAX_DEPTH && !isVoid && !tag.selfClosing)) {
      if (!isVoid && !tag.selfClosing) el.skippedDepth++;
      return;
    }
    if (el.innerDepth === 0 && ++el.topElements === 1) {
      el.wrapperName = name;
      el.wrapperOpen = el.markup.length;
      if (tag.selfClosing || isVoid) el.wrapperClose = el.markup.length + 1;
    }
    if (isVoid) el.markup.push(`<${name}${attrs}>`);
    else if (tag.selfClosing) el.markup.push(`<${name}${attrs}></${name}>`);
    else {
      el.markup.push(`<${name}${attrs}>`);
      el.innerDepth++;
    }
  }

  /** Returns false when the end tag belongs to an ancestor: the text element was left open. */
  private closeInText(rawName: string): boolean {
    const el = this.text;
    if (!el) return false;
    if (rawName === el.raw && el.sameNameDepth === 0) {
      this.finishText();
      return true;
    }
    if (rawName !== el.raw && this.stack.some((frame) => frame.raw === rawName)) {
      this.finishText();
      return false;
    }
    if (rawName === el.raw) el.sameNameDepth--;
    const name = splitName(rawName)[1].toLowerCase();
    if (VOID_HTML_ELEMENTS.has(name)) return true;
    if (el.skippedDepth > 0) {
      el.skippedDepth--;
      return true;
    }
    el.markup ??= [escapeText(el.text.join(''))];
    if (el.innerDepth > 0) {
      el.innerDepth--;
      if (el.innerDepth === 0 && el.topElements === 1 && el.wrapperClose === -1) el.wrapperClose = el.markup.length;
    }
    el.markup.push(`</${name}>`);
    return true;
  }

  private finishText(): void {
    const el = this.text;
    if (!el) return;
    this.text = undefined;
    const typeIndex = el.attrs.findIndex(([name]) => name === 'type');
    const type = typeIndex === -1 ? '' : (el.attrs[typeIndex]?.[1] ?? '').toLowerCase();
    let value: string;
    if (el.markup || type.includes('xhtml')) {
      let parts = el.markup ?? [escapeText(el.text.join(''))];
      if (el.topElements === 1 && !el.topText && el.wrapperName === 'div') {
        parts = parts.slice(el.wrapperOpen + 1, el.wrapperClose === -1 ? parts.length : el.wrapperClose);
      }
      value = parts.join('');
      if (typeIndex !== -1) el.attrs.splice(typeIndex, 1);
      el.attrs.push(['type', 'html']);
    } else {
      value = el.text.join('');
    }
    this.out.push(`<${el.name}${attributesToString(el.attrs)}>${textOrCdata(value)}</${el.name}>`);
  }
}

function describeNonXml(text: string): string | undefined {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return 'the document is empty';
  if (first === '{' || first === '[') return 'the document is JSON, not an RSS/Atom feed';
  return undefined;
}

/**
 * Repairs what real sites serve so that a strict XML parser reads it, and canonicalizes names.
 * Throws {@link FeedParseError} when the text is not an RSS, RDF or Atom document at all.
 */
export function repairFeedXml(text: string, options: { baseUrl?: string } = {}): RepairedFeed {
  const problem = describeNonXml(text);
  if (problem) throw new FeedParseError(problem);
  return new Repairer(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, options.baseUrl).run();
}
