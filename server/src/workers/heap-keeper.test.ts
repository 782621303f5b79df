/** The trial threads' heap keeper (workers/heap-keeper.ts): a full collection once the old generation has grown, none before. */
import { describe, expect, it } from 'vitest';
import { keepHeapNearLive, oldGenerationUsed } from './heap-keeper';

/** Allocates 32 MB of arrays large enough to live outside the young generation's semispaces; answers the old generation's size while they are alive. */
function allocateGarbage(): number {
  const arrays = Array.from({ length: 40 }, () => new Array<number>(100_000).fill(1.5));
  return arrays.length > 0 ? oldGenerationUsed() : 0;
}

describe('keepHeapNearLive', () => {
  it('collects garbage that reached the old generation, and leaves a heap that has not grown alone', () => {
    keepHeapNearLive();
    const before = oldGenerationUsed();
    const grown = allocateGarbage();
    expect(grown - before).toBeGreaterThan(10 * 2 ** 20);
    expect(keepHeapNearLive()).toBe(true);
    expect(oldGenerationUsed()).toBeLessThan((before + grown) / 2);
    expect(keepHeapNearLive()).toBe(false);
  });
});
