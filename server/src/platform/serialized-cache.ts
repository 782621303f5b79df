/**
 * Serialized responses kept for reuse, least recently used out first, bounded by their total
 * size (an oversized one is answered, not kept). Keys must name everything the value depends on
 * (for K-lines: the series version, the bar range and the response fields), so an entry never has
 * to be invalidated, only evicted.
 */
import { LRUCache } from 'lru-cache';
import { serialized, type SerializedJson } from './contract';

export class SerializedCache<T> {
  private readonly entries: LRUCache<string, SerializedJson<T>>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (value) => Math.max(1, value.bytes.length) });
  }

  get(key: string, make: () => T): SerializedJson<T> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const value = serialized(make());
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
