/** The mark appended to text that was cut. */
export const ELLIPSIS = '…';

const TRAILING_JUNK_RE = /[\s,;:–—-]+$/u;

/**
 * Cuts `text` (whitespace collapsed) to at most `max` characters, ellipsis included, at the last
 * space that fits, so no word is ever cut in half; trailing commas and dashes go too. Only text
 * with no space in reach (a URL, a run of CJK) is cut at a code-point boundary instead.
 */
export function clipAtWord(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const room = Math.max(0, max - ELLIPSIS.length);
  // The character after the cut decides whether the cut is between words.
  let end = t.charAt(room) === ' ' ? room : t.lastIndexOf(' ', room);
  if (end <= 0) {
    end = room;
    if (end > 0 && /[\uD800-\uDBFF]/.test(t.charAt(end - 1))) end -= 1;
  }
  return `${t.slice(0, end).replace(TRAILING_JUNK_RE, '')}${ELLIPSIS}`;
}
