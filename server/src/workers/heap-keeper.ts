/**
 * Keeps a long-lived trial thread's old generation near its live size (workers/trial-worker.ts).
 *
 * Why: V8 lets an old generation grow to about three times its live size before a full
 * collection, and a trial thread is never idle (piscina hands it the next batch at once, so V8's
 * idle-time memory reducer never runs). A one-stock trial lives in about 8 MB, yet its thread's old
 * generation climbed from 9 to 23 MB over a 10,000-trial grid: a long optimization's peak memory sat
 * 10–15 % above a short one's, although nothing was retained. Collecting once the old generation
 * has grown by half its live size (4 MB at least) since the last collection keeps it flat; that is a
 * full collection every few thousand trials, a few milliseconds each.
 *
 * `gc` is reached as jest's leak detector reaches it: Worker threads cannot take --expose-gc, so the
 * flag is set at run time and read from a fresh context (it only affects contexts made after it).
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MIN_GROWTH = 4 * 2 ** 20;

let collect: (() => void) | undefined;
/** Old-generation bytes in use after the last collection this module made. */
let live: number | undefined;

/** Bytes in use outside the young generation (old, code, large objects). */
export function oldGenerationUsed(): number {
  let used = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') used += s.space_used_size;
  return used;
}

/** Called between batches: a full collection when the old generation has grown enough since the last (answers whether it collected). */
export function keepHeapNearLive(): boolean {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  const used = oldGenerationUsed();
  if (live !== undefined && used < live + Math.max(MIN_GROWTH, live / 2)) return false;
  collect();
  live = oldGenerationUsed();
  return true;
}
