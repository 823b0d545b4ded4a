import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/**
 * Elements that start a new line of text. Everything else is inline: `Tik<b>Tok</b>` stays one word.
 */
const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li',
  'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead',
  'tr', 'ul',
]);

/** Elements whose content is never text. */
const SKIPPED_TAGS: ReadonlySet<string> = new Set(['script', 'style', 'template']);

/**
 * C1 control characters are in practice windows-1252 bytes decoded as ISO-8859-1, as browsers assume.
 * Index = code point - 0x80; 0 marks the five positions windows-1252 leaves undefined.
 */
const WINDOWS_1252_C1 = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

const C1_RE = /[\u0080-\u009f]/g;

/**
 * Replaces C1 control characters (U+0080-U+009F) with the windows-1252 characters they almost always
 * stand for (`\u0092` → `’`); the five undefined positions are removed.
 */
export function demoronize(text: string): string {
  return text.replace(C1_RE, (ch) => {
    const cp = WINDOWS_1252_C1[ch.charCodeAt(0) - 0x80] ?? 0;
    return cp === 0 ? '' : String.fromCharCode(cp);
  });
}

// HTML's collapsible whitespace is ASCII only; NBSP is folded in too because feeds use it as a plain space.
// Other Unicode spaces (em, en, thin) are characters and stay.
const INLINE_WS_RE = /[\t\n\f\r \u00a0]+/g;
const LINE_BREAK_RUN_RE = / *\n[ \n]*/g;
const SPACE_RUN_RE = / {2,}/g;
const ENTITY_SPACES: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x20, 0xa0]);

function noop(): void {}

const HTML_HINT_RE = new RegExp(
  String.raw`<!doctype\b|<\/?(?:a|abbr|article|aside|audio|b|big|blockquote|body|br|caption|center|cite|code|dd|del|details|div|dl|dt|em|` +
    String.raw`figcaption|figure|font|footer|h[1-6]|head|header|hr|html|i|iframe|img|ins|kbd|li|main|mark|nav|ol|p|picture|pre|q|s|` +
    String.raw`section|small|source|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|th|thead|time|tr|tt|u|ul|video)\b[^>]*>` +
    String.raw`|&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);`,
  'i',
);

/**
 * Whether text is meant as HTML (an untyped RSS field, a page or fragment on stdin): it has a
 * known HTML tag, a doctype or an entity reference. `x < 5 min>` and bare `&` stay plain text.
 */
export function looksLikeHtml(value: string): boolean {
  return HTML_HINT_RE.test(value);
}

/**
 * Renders an HTML fragment as plain text.
 *
 * Tags are not text, `script`/`style` content is dropped, entities are decoded (numeric references
 * 128-159 and raw C1 characters as windows-1252), inline tags do not split words, block tags become
 * line breaks, whitespace runs collapse to one space, consecutive line breaks to one `\n`, and the
 * result is trimmed. Pure and synchronous; linear in the input (htmlparser2's tokenizer only: its
 * tree-building `Parser` is quadratic in nesting depth).
 */
export function htmlToText(html: string): string {
  if (html.indexOf('<') === -1 && html.indexOf('&') === -1) {
    return demoronize(html).replace(INLINE_WS_RE, ' ').trim();
  }
  let joined = '';
  let skipDepth = 0;
  const tagName = (start: number, end: number): string => html.slice(start, end).toLowerCase();
  const callbacks: TokenizerCallbacks = {
    ontext(start, end) {
      if (skipDepth === 0) joined += html.slice(start, end).replace(INLINE_WS_RE, ' ');
    },
    ontextentity(codepoint) {
      if (skipDepth === 0) joined += ENTITY_SPACES.has(codepoint) ? ' ' : String.fromCodePoint(codepoint);
    },
    onopentagname(start, end) {
      const name = tagName(start, end);
      if (SKIPPED_TAGS.has(name)) skipDepth += 1;
      else if (BLOCK_TAGS.has(name)) joined += '\n';
    },
    onclosetag(start, end) {
      const name = tagName(start, end);
      if (SKIPPED_TAGS.has(name)) skipDepth = Math.max(0, skipDepth - 1);
      else if (BLOCK_TAGS.has(name)) joined += '\n';
    },
    onattribdata: noop,
    onattribentity: noop,
    onattribend: noop,
    onattribname: noop,
    oncdata: noop,
    oncomment: noop,
    ondeclaration: noop,
    onend: noop,
    onopentagend: noop,
    onprocessinginstruction: noop,
    onselfclosingtag: noop,
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  tokenizer.write(html);
  tokenizer.end();
  return demoronize(joined).replace(SPACE_RUN_RE, ' ').replace(LINE_BREAK_RUN_RE, '\n').trim();
}
