import { describe, expect, it } from 'vitest';
import { splitTopicList } from '../../../src/core/query/topic-list.js';

describe('splitTopicList', () => {
  it.each([
    ['tiktok, bytedance', ['tiktok', 'bytedance']],
    ['tiktok', ['tiktok']],
    ['  tiktok ,, bytedance ,', ['tiktok', 'bytedance']],
    ['"Trump, Donald" OR biden, klima', ['"Trump, Donald" OR biden', 'klima']],
    ['„Merz, Friedrich“, Scholz', ['„Merz, Friedrich“', 'Scholz']],
    ['(a, b) c, d', ['(a, b) c', 'd']],
    ['字节跳动、抖音', ['字节跳动', '抖音']],
    ['"unclosed, quote', ['"unclosed, quote']],
    ['a), b', ['a)', 'b']],
    ['', []],
  ])('splits %j into %j', (input, expected) => {
    expect(splitTopicList(input)).toEqual(expected);
  });
});
