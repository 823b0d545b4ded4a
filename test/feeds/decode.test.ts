import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeFeedBytes, normalizeCharsetLabel } from '../../src/feeds/decode.js';

const GERMAN = 'Microsoft bestätigt Interesse an Tiktok: Größe, Übernahme, Bären';
const doc = (declaration: string, body: string): string => `${declaration}<rss version="2.0"><channel><title>${body}</title></channel></rss>`;

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('decodeFeedBytes', () => {
  it.each([
    ['UTF-8', [0xef, 0xbb, 0xbf], (t: string) => Buffer.from(t, 'utf8'), 'utf-8'],
    ['UTF-16LE', [0xff, 0xfe], (t: string) => Buffer.from(t, 'utf16le'), 'utf-16le'],
    ['UTF-16BE', [0xfe, 0xff], utf16be, 'utf-16be'],
    ['UTF-32LE', [0xff, 0xfe, 0, 0], (t: string) => iconv.encode(t, 'utf-32le'), 'utf-32le'],
    ['UTF-32BE', [0, 0, 0xfe, 0xff], (t: string) => iconv.encode(t, 'utf-32be'), 'utf-32be'],
  ])('reads a %s byte order mark and drops it', (_name, bom, encode, encoding) => {
    const text = doc('<?xml version="1.0"?>', GERMAN);
    const bytes = Buffer.concat([Buffer.from(bom), encode(text)]);
    expect(decodeFeedBytes(bytes)).toEqual({ text, encoding });
  });

  it.each([
    ['UTF-16LE', (t: string) => Buffer.from(t, 'utf16le'), 'utf-16le'],
    ['UTF-16BE', utf16be, 'utf-16be'],
    ['UTF-32LE', (t: string) => iconv.encode(t, 'utf-32le'), 'utf-32le'],
    ['UTF-32BE', (t: string) => iconv.encode(t, 'utf-32be'), 'utf-32be'],
  ])('recognises %s without a byte order mark from the <?xml byte pattern', (_name, encode, encoding) => {
    const text = doc('<?xml version="1.0" encoding="utf-16"?>', GERMAN);
    expect(decodeFeedBytes(encode(text))).toEqual({ text, encoding });
  });

  it('uses the XML declaration when there is no HTTP charset', () => {
    const text = doc('<?xml version="1.0" encoding="ISO-8859-1"?>', GERMAN);
    const result = decodeFeedBytes(Buffer.from(text, 'latin1'));
    expect(result.text).toBe(text);
    expect(result.encoding).toBe('windows-1252');
  });

  it('finds an XML declaration that comes after a comment', () => {
    const text = `<!-- banner -->\n${doc('<?xml version="1.0" encoding="windows-1251"?>', 'Цитата')}`;
    expect(decodeFeedBytes(iconv.encode(text, 'windows-1251')).text).toBe(text);
  });

  it('prefers the HTTP charset over the XML declaration', () => {
    const text = doc('<?xml version="1.0" encoding="utf-8"?>', 'Привет');
    const result = decodeFeedBytes(iconv.encode(text, 'koi8-r'), 'application/rss+xml; charset=KOI8-R');
    expect(result).toEqual({ text, encoding: 'koi8-r' });
  });

  it('reads ISO-8859-1 labels as windows-1252, so smart quotes survive', () => {
    const text = doc('<?xml version="1.0" encoding="iso-8859-1"?>', '“Don’t” – €5');
    const bytes = iconv.encode(text, 'windows-1252');
    expect(decodeFeedBytes(bytes).text).toBe(text);
    expect(decodeFeedBytes(bytes, 'text/xml; charset=windows-1252').text).toBe(text);
  });

  it('reads valid UTF-8 as UTF-8 even when the label says a legacy charset', () => {
    const text = doc('<?xml version="1.0" encoding="windows-1252"?>', 'Café');
    expect(decodeFeedBytes(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeFeedBytes(Buffer.from(text, 'utf8'), 'text/xml; charset=iso-8859-1').text).toBe(text);
  });

  it('falls back to windows-1252 when unlabelled bytes are not valid UTF-8', () => {
    const text = doc('<?xml version="1.0"?>', GERMAN);
    expect(decodeFeedBytes(Buffer.from(text, 'latin1'))).toEqual({ text, encoding: 'windows-1252' });
  });

  it('tries the declared charset when HTTP claims UTF-8 but the bytes are not', () => {
    const text = doc('<?xml version="1.0" encoding="windows-1251"?>', 'Цитата');
    const result = decodeFeedBytes(iconv.encode(text, 'windows-1251'), 'text/xml; charset=utf-8');
    expect(result).toEqual({ text, encoding: 'windows-1251' });
  });

  it.each([
    ['a bogus HTTP charset', 'text/xml; charset=no-such-charset', '<?xml version="1.0" encoding="iso-8859-1"?>'],
    ['an empty HTTP charset', 'text/xml; charset=', '<?xml version="1.0" encoding="iso-8859-1"?>'],
    ['a bogus declared encoding', undefined, '<?xml version="1.0" encoding="x-made-up"?>'],
    ['a UTF-16 label on 8-bit bytes', 'text/xml; charset=utf-16', '<?xml version="1.0" encoding="utf-16"?>'],
  ])('skips %s', (_name, contentType, declaration) => {
    const text = doc(declaration, GERMAN);
    expect(decodeFeedBytes(Buffer.from(text, 'latin1'), contentType).text).toBe(text);
  });

  it('decodes CJK charsets named in the declaration', () => {
    const text = doc('<?xml version="1.0" encoding="euc-kr"?>', '년');
    expect(decodeFeedBytes(iconv.encode(text, 'euc-kr')).text).toBe(text);
  });

  it('returns empty text for an empty body', () => {
    expect(decodeFeedBytes(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['text/xml; charset=UTF-8', 'UTF-8'],
    ['application/rss+xml;charset= "us-ascii"', '"us-ascii"'],
    ["text/xml; q=0.9; charset='koi8-r'", "'koi8-r'"],
    ['text/xml;', undefined],
    ['text/xml; qs=0.9', undefined],
    [undefined, undefined],
  ])('reads %s', (header, expected) => {
    expect(charsetFromContentType(header)).toBe(expected);
  });
});

describe('normalizeCharsetLabel', () => {
  it.each([
    ['ISO-8859-1', 'windows-1252'],
    ['"us-ascii"', 'windows-1252'],
    ['UTF8', 'utf-8'],
    ['gb2312', 'gbk'],
    ['KOI8-R', 'koi8-r'],
    ['nonsense', undefined],
    ['', undefined],
  ])('maps %s', (label, expected) => {
    expect(normalizeCharsetLabel(label)).toBe(expected);
  });
});
