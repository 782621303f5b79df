import { describe, expect, it } from 'vitest';
import { SerializedCache } from './serialized-cache';

describe('SerializedCache', () => {
  it('serializes once per key and returns the same JSON again', () => {
    const cache = new SerializedCache<{ n: number }>(1000);
    let made = 0;
    const make = () => ({ n: ++made });
    expect(cache.get('a', make).bytes.toString()).toBe('{"n":1}');
    expect(cache.get('a', make).bytes.toString()).toBe('{"n":1}');
    expect(cache.get('b', make).bytes.toString()).toBe('{"n":2}');
    expect(made).toBe(2);
  });

  it('evicts the least recently used entries beyond its size and never keeps an oversized one', () => {
    const cache = new SerializedCache<string>(20);
    const value = (s: string) => () => s;
    cache.get('a', value('aaaaaa')); // 8 bytes of JSON each
    cache.get('b', value('bbbbbb'));
    cache.get('a', value('x')); // a is now the most recent
    cache.get('c', value('cccccc')); // 24 > 20: evicts b
    expect(cache.size).toBe(2);
    expect(cache.get('a', value('new')).bytes.toString()).toBe('"aaaaaa"');
    expect(cache.get('b', value('new')).bytes.toString()).toBe('"new"');
    expect(cache.get('big', value('y'.repeat(30))).bytes).toHaveLength(32);
    expect(cache.get('big', value('z')).bytes.toString()).toBe('"z"');
  });
});
