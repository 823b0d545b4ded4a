import { describe, expect, it } from 'vitest';
import { demoronize, htmlToText } from '../../src/core/html-text.js';

describe('htmlToText', () => {
  it.each([
    ['plain text', 'plain text'],
    ['  leading and trailing  ', 'leading and trailing'],
    ['a \t\n\r b', 'a b'],
    ['Tik<b>Tok</b>', 'TikTok'],
    ['Tik<span class="x">Tok</span>s', 'TikToks'],
    ['<a href="https://example.com/">Tik</a><em>Tok</em>', 'TikTok'],
    ['<p>Hello</p><p>World</p>', 'Hello\nWorld'],
    ['line<br>break', 'line\nbreak'],
    ['line<br/>break<br />again', 'line\nbreak\nagain'],
    ['<ul><li>one</li><li>two</li></ul>', 'one\ntwo'],
    ['<h2>Title</h2>Body', 'Title\nBody'],
    ['<table><tr><td>a</td><td>b</td></tr></table>', 'a\nb'],
    ['<div>a</div>\n\n<div>b</div>', 'a\nb'],
    ['<blockquote>quote</blockquote>after', 'quote\nafter'],
    ['<figure><img src="x.jpg"><figcaption>caption</figcaption></figure>', 'caption'],
    ['before<hr>after', 'before\nafter'],
    ['<script>var tiktok = 1;</script>visible', 'visible'],
    ['<style>p { color: red }</style>visible', 'visible'],
    ['a<script type="text/javascript">if (a < b) { x(); }</script>b', 'ab'],
    ['<!-- a comment -->text', 'text'],
    ['AT&amp;T', 'AT&T'],
    ['caf&eacute; &amp; cr&egrave;me', 'café & crème'],
    ['&lt;b&gt;not a tag&lt;/b&gt;', '<b>not a tag</b>'],
    ['&#8220;quoted&#8221; &#x2014; dash', '“quoted” — dash'],
    ['&#150; &#151; &#128;', '– — €'],
    ['don\u0092t', 'don’t'],
    ['non&nbsp;breaking', 'non breaking'],
    ['&doesnotexist; stays', '&doesnotexist; stays'],
    ['AT&T without semicolon', 'AT&T without semicolon'],
    ['a < b and c > d', 'a < b and c > d'],
    ['<p>unclosed <b>bold', 'unclosed bold'],
    ['<P>Upper <B>case</B></P>', 'Upper case'],
    ['Grüße aus <i>München</i>', 'Grüße aus München'],
    ['em\u2003space', 'em\u2003space'],
    ['', ''],
  ])('renders %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('stays linear on deeply nested markup', () => {
    const html = `${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
    const started = performance.now();
    expect(htmlToText(html)).toBe('deep');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('renders a 10 KB article well under a millisecond on average', () => {
    const article = '<p>Lorem <b>ipsum</b> dolor sit amet, <a href="/x">consectetur</a> adipiscing &amp; elit.</p>\n'.repeat(110);
    expect(article.length).toBeGreaterThan(10_000);
    for (let i = 0; i < 50; i++) htmlToText(article);
    const runs = 200;
    const started = performance.now();
    for (let i = 0; i < runs; i++) htmlToText(article);
    const perRunMs = (performance.now() - started) / runs;
    // Typically ~0.15 ms; the bound leaves room for a busy CI machine.
    expect(perRunMs).toBeLessThan(2);
  });
});

describe('demoronize', () => {
  it.each([
    ['\u0080', '€'],
    ['\u0091x\u0092', '‘x’'],
    ['\u0093x\u0094', '“x”'],
    ['\u0081', ''],
    ['ascii', 'ascii'],
  ])('maps %j', (input, output) => {
    expect(demoronize(input)).toBe(output);
  });
});
