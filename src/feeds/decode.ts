import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** A feed body turned into text, with the charset that was used. */
export interface DecodedFeed {
  text: string;
  /** Canonical charset name, e.g. `utf-8`, `windows-1252`, `utf-16le`. */
  encoding: string;
}

const UTF8 = 'utf-8';
const WINDOWS_1252 = 'windows-1252';
const XML_DECLARATION_SCAN_BYTES = 4096;

/**
 * Labels that do not mean what iconv-lite would make of them. As in the WHATWG Encoding Standard
 * (and every browser), ISO-8859-1 and US-ASCII are read as their superset windows-1252.
 */
const LABEL_ALIASES: Readonly<Record<string, string>> = {
  'iso-8859-1': WINDOWS_1252, 'iso8859-1': WINDOWS_1252, 'iso_8859-1': WINDOWS_1252, latin1: WINDOWS_1252,
  'latin-1': WINDOWS_1252, l1: WINDOWS_1252, cp819: WINDOWS_1252, ibm819: WINDOWS_1252, 'us-ascii': WINDOWS_1252,
  ascii: WINDOWS_1252, 'iso-ir-100': WINDOWS_1252, 'iso_8859-1:1987': WINDOWS_1252, 'x-cp1252': WINDOWS_1252,
  'iso-8859-9': 'windows-1254', 'iso8859-9': 'windows-1254', latin5: 'windows-1254', 'tis-620': 'windows-874',
  'iso-8859-11': 'windows-874', utf8: UTF8, 'unicode-1-1-utf-8': UTF8, 'x-unicode20utf8': UTF8,
  gb2312: 'gbk', 'x-gbk': 'gbk', 'ks_c_5601-1987': 'euc-kr', 'x-sjis': 'shift_jis', 'x-mac-roman': 'macintosh',
};

/** Maps a charset label to an encoding iconv-lite can decode, or `undefined` for a bogus label. */
export function normalizeCharsetLabel(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const cleaned = label.trim().replace(/^["']|["']$/g, '').trim().toLowerCase();
  if (cleaned === '' || cleaned.length > 40) return undefined;
  const canonical = LABEL_ALIASES[cleaned] ?? cleaned;
  if (canonical === UTF8) return UTF8;
  return iconv.encodingExists(canonical) ? canonical : undefined;
}

/** The `charset` parameter of an HTTP Content-Type header, if any. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("[^"]*"|'[^']*'|[^;\s]*)/i.exec(contentType);
  return match?.[1];
}

const XML_DECLARATION_ENCODING_RE = /<\?xml[^>]*?\sencoding\s*=\s*["']?([A-Za-z0-9._:()-]+)/;

function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, XML_DECLARATION_SCAN_BYTES));
  return XML_DECLARATION_ENCODING_RE.exec(head.toString('latin1'))?.[1];
}

interface Detected {
  encoding: string;
  skip: number;
}

/** Byte order marks first; then the `<?xml` byte pattern, which tells UTF-16/32 apart without a BOM. */
function detectUnicodeForm(b: Uint8Array): Detected | undefined {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: UTF8, skip: 3 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', skip: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf-32be', skip: 4 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (b.length < 4) return undefined;
  if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return { encoding: 'utf-32be', skip: 0 };
  if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', skip: 0 };
  if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return { encoding: 'utf-16be', skip: 0 };
  if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return { encoding: 'utf-16le', skip: 0 };
  return undefined;
}

function isUnicodeWideForm(encoding: string): boolean {
  return /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/.test(encoding);
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === UTF8) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), encoding, { stripBOM: true });
}

/**
 * Decodes a feed body to text.
 *
 * Order: byte order mark; UTF-16/32 recognised from the `<?xml` byte pattern; the HTTP
 * Content-Type `charset`; the XML declaration's `encoding`; UTF-8. Bogus labels are skipped.
 * Bytes that are valid UTF-8 and contain non-ASCII characters are read as UTF-8 whatever the
 * label says (a byte-oriented legacy charset practically never produces valid multi-byte UTF-8,
 * while servers and templates often keep a stale label). When UTF-8 is chosen but the bytes are
 * not UTF-8, a different declared charset is tried, else windows-1252.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedFeed {
  const unicode = detectUnicodeForm(bytes);
  if (unicode) {
    const body = bytes.subarray(unicode.skip);
    return { text: decodeWith(body, unicode.encoding), encoding: unicode.encoding };
  }
  const usable = (label: string | undefined): string | undefined => {
    const encoding = normalizeCharsetLabel(label);
    return encoding !== undefined && !isUnicodeWideForm(encoding) ? encoding : undefined;
  };
  const fromHttp = usable(charsetFromContentType(contentType));
  const fromXml = usable(charsetFromXmlDeclaration(bytes));
  const declared = fromHttp ?? fromXml;
  if (isAscii(bytes)) return { text: decodeWith(bytes, declared ?? UTF8), encoding: declared ?? UTF8 };
  if (isUtf8(bytes)) return { text: decodeWith(bytes, UTF8), encoding: UTF8 };
  const legacy = [fromHttp, fromXml].find((e) => e !== undefined && e !== UTF8) ?? WINDOWS_1252;
  return { text: decodeWith(bytes, legacy), encoding: legacy };
}
