/**
 * Serialized responses kept for reuse, least recently used out first, bounded by their total
 * size. Keys must name everything the value depends on (for K-lines: the series version, the
 * bar range and the response fields), so an entry never has to be invalidated, only evicted.
 */
import { serialized, type SerializedJson } from './contract';

export class SerializedCache<T> {
  private readonly entries = new Map<string, SerializedJson<T>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, make: () => T): SerializedJson<T> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = serialized(make());
    if (value.bytes.length > this.maxBytes) return value;
    this.entries.set(key, value);
    this.bytes += value.bytes.length;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.bytes.length;
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
