const SCHEME_RE = /^[a-z][a-z\d+.-]*:/i;

/** True when the reference carries a scheme (`https:`, `mailto:`, `urn:` ...). */
export function isAbsoluteUrl(ref: string): boolean {
  return SCHEME_RE.test(ref);
}

const NON_ASCII_RE = /[^\x20-\x7e]/;
const ENCODED_NON_ASCII_RUN_RE = /(?:%[89a-fA-F][\da-fA-F])+/g;

function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run;
  }
}

/**
 * Resolves a reference against the first usable base. Absolute references are returned as
 * written (no re-serialization: `https://example.com` stays without a trailing slash); a
 * reference written as an IRI (`Ä`) keeps its characters instead of `%C3%84`; a
 * reference that cannot be resolved is returned trimmed.
 */
export function resolveUrl(ref: string, ...bases: ReadonlyArray<string | undefined>): string {
  const trimmed = ref.trim();
  if (trimmed === '' || isAbsoluteUrl(trimmed)) return trimmed;
  for (const base of bases) {
    if (!base || !isAbsoluteUrl(base)) continue;
    try {
      const href = new URL(trimmed, base).href;
      return NON_ASCII_RE.test(trimmed) ? href.replace(ENCODED_NON_ASCII_RUN_RE, decodeRun) : href;
    } catch {
      // an unusable base: try the next one
    }
  }
  return trimmed;
}

const URL_ATTR_RE = /(\s(?:href|src|poster)\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;

/** Rewrites relative `href`/`src`/`poster` attributes in an HTML fragment against `base`. */
export function resolveHtmlUrls(html: string, base: string | undefined): string {
  if (!base || !isAbsoluteUrl(base) || (html.indexOf('href') === -1 && html.indexOf('src') === -1)) return html;
  return html.replace(URL_ATTR_RE, (whole, prefix: string, dq: string | undefined, sq: string | undefined) => {
    const value = dq ?? sq ?? '';
    if (value === '' || value.startsWith('#') || isAbsoluteUrl(value)) return whole;
    const quote = dq === undefined ? "'" : '"';
    return `${prefix}${quote}${resolveUrl(value, base)}${quote}`;
  });
}

const IMG_TAG_RE = /<img\b[^>]*>/gi;
const SRC_ATTR_RE = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const TRACKING_PIXEL_RE = /\s(?:width|height)\s*=\s*["']?[01](?:px)?["'\s/>]/i;

/** The `src` of the first `<img>` in an HTML fragment that is not a 1x1 tracking pixel. */
export function firstImageSrc(html: string): string | undefined {
  if (html.indexOf('<img') === -1 && html.indexOf('<IMG') === -1) return undefined;
  for (const [tag] of html.matchAll(IMG_TAG_RE)) {
    if (TRACKING_PIXEL_RE.test(tag)) continue;
    const match = SRC_ATTR_RE.exec(tag);
    const src = (match?.[1] ?? match?.[2] ?? match?.[3])?.trim();
    if (src) return src;
  }
  return undefined;
}

/** Only web URLs are useful as links to show or images to embed. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}
