import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { LogEntry } from '@/api/system';
import { useLogsStore, type LogLine } from './store';

/** An entry of "launch" `launch` (different launches log at different times). */
function entry(id: number, message = `line ${id}`, extra: Partial<LogEntry> & { launch?: number } = {}): LogEntry {
  const { launch = 1, ...rest } = extra;
  const timestamp = new Date(Date.UTC(2026, 0, launch, 9, 30, 0, id)).toISOString();
  return { id, timestamp, level: 'INFO', module: 'system', message, ...rest };
}

/** History as the API returns it: newest first. */
const history = (...entries: LogEntry[]) => [...entries].reverse();

function describeLines(lines: readonly LogLine[]): string[] {
  return lines.map((line) => (line.kind === 'divider' ? `--${line.reason}--` : `${line.entry.id}:${line.entry.message}`));
}

let store: ReturnType<typeof useLogsStore>;
const shown = () => describeLines(store.getView());

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  store = useLogsStore();
});
afterEach(() => vi.useRealTimers());

describe('logs store', () => {
  it('joins history and the live entries that came while it loaded, without gaps or duplicates', () => {
    const token = store.beginSnapshot();
    expect(store.loading).toBe(true);
    // The stream is attached first: entries 3 and 4 arrive live while history (1..3) loads.
    expect(store.receive(entry(3))).toBe('queued');
    expect(store.receive(entry(4))).toBe('queued');
    store.applySnapshot(token, history(entry(1), entry(2), entry(3)), 'open');

    expect(store.loading).toBe(false);
    expect(shown()).toEqual(['1:line 1', '2:line 2', '3:line 3', '4:line 4']);
  });

  it('appends live entries in batches and drops an entry it already holds', () => {
    store.applySnapshot(store.beginSnapshot(), history(entry(1)), 'open');
    const before = store.version;
    store.receive(entry(2));
    store.receive(entry(3));
    expect(shown()).toEqual(['1:line 1']); // not yet: one update per batch
    vi.advanceTimersByTime(50);
    expect(shown()).toEqual(['1:line 1', '2:line 2', '3:line 3']);
    expect(store.version).toBeGreaterThan(before);

    expect(store.receive(entry(3))).toBe('duplicate');
    vi.advanceTimersByTime(50);
    expect(shown()).toHaveLength(3);
  });

  it('keeps receiving while paused and shows everything on resume', () => {
    store.applySnapshot(store.beginSnapshot(), history(entry(1)), 'open');
    store.setPaused(true);
    for (let id = 2; id <= 6; id++) store.receive(entry(id));
    vi.advanceTimersByTime(50);
    expect(shown()).toEqual(['1:line 1']);
    expect(store.heldCount).toBe(5);

    store.setPaused(false);
    expect(store.heldCount).toBe(0);
    expect(shown().map((s) => Number(s.split(':')[0]))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('after a reset from a restarted server: a restart divider, then the new launch', () => {
    store.applySnapshot(store.beginSnapshot(), history(entry(1), entry(2), entry(3)), 'open');
    const token = store.beginSnapshot();
    store.receive(entry(3, 'new launch, live', { launch: 2 }));
    store.applySnapshot(token, history(entry(1, 'server ready', { launch: 2 }), entry(2, 'listening', { launch: 2 })), 'reset');

    expect(shown()).toEqual(['1:line 1', '2:line 2', '3:line 3', '--restart--', '1:server ready', '2:listening', '3:new launch, live']);
    // Ids of the new launch are compared with the new launch only.
    expect(store.receive(entry(4, 'next', { launch: 2 }))).toBe('queued');
    expect(store.receive(entry(2, 'listening', { launch: 2 }))).toBe('duplicate');
  });

  it('after a reset in the same launch: appends only what is newer, with no divider', () => {
    store.applySnapshot(store.beginSnapshot(), history(entry(1), entry(2)), 'open');
    store.applySnapshot(store.beginSnapshot(), history(entry(1), entry(2), entry(3), entry(4)), 'reset');
    expect(shown()).toEqual(['1:line 1', '2:line 2', '3:line 3', '4:line 4']);
  });

  it('after a reset that skipped more than the history holds: a gap divider', () => {
    store.applySnapshot(store.beginSnapshot(), history(entry(1), entry(2)), 'open');
    store.applySnapshot(store.beginSnapshot(), history(entry(2000), entry(2001)), 'reset');
    expect(shown()).toEqual(['1:line 1', '2:line 2', '--gap--', '2000:line 2000', '2001:line 2001']);
  });

  it('notices a new launch from ids going backwards even without a reset', () => {
    store.applySnapshot(store.beginSnapshot(), history(entry(1), entry(2), entry(3)), 'open');
    expect(store.receive(entry(2, 'from a new launch', { launch: 2 }))).toBe('restarted');
  });

  it('keeps live entries when history cannot be loaded', () => {
    const token = store.beginSnapshot();
    store.receive(entry(5));
    store.applySnapshot(token, null, 'open');
    expect(shown()).toEqual(['5:line 5']);
  });

  it('ignores a snapshot overtaken by a newer one', () => {
    const old = store.beginSnapshot();
    const current = store.beginSnapshot();
    store.applySnapshot(old, history(entry(1)), 'open');
    expect(shown()).toEqual([]);
    store.applySnapshot(current, history(entry(1), entry(2)), 'open');
    expect(shown()).toEqual(['1:line 1', '2:line 2']);
  });

  it('caps memory by dropping the oldest lines, and counts them for the list', () => {
    store.maxLines = 100;
    store.applySnapshot(store.beginSnapshot(), [], 'open');
    for (let id = 1; id <= 150; id++) store.receive(entry(id));
    vi.advanceTimersByTime(50);
    const lines = shown();
    expect(lines.length).toBeLessThanOrEqual(100);
    expect(lines.at(-1)).toBe('150:line 150');
    expect(store.droppedFromView).toBe(150 - lines.length);
    expect(Number(lines[0]!.split(':')[0])).toBe(150 - lines.length + 1);
  });

  it('filters held lines by search and places older server matches before them', () => {
    store.applySnapshot(
      store.beginSnapshot(),
      history(entry(50, 'settings updated'), entry(51, 'request'), entry(52, 'Settings reset')),
      'open',
    );
    const token = store.setQuery('settings');
    expect(shown()).toEqual(['50:settings updated', '52:Settings reset']);

    // The server also has an older match (id 10, not held) and the held ones.
    store.applySearch(token, history(entry(10, 'settings updated'), entry(50, 'settings updated'), entry(52, 'Settings reset')));
    expect(shown()).toEqual(['10:settings updated', '50:settings updated', '52:Settings reset']);
    expect(store.searchFound).toBe(1);

    // Live lines are filtered as they come.
    store.receive(entry(53, 'request'));
    store.receive(entry(54, 'settings updated'));
    vi.advanceTimersByTime(50);
    expect(shown()).toEqual(['10:settings updated', '50:settings updated', '52:Settings reset', '54:settings updated']);

    // A stale answer (for an older query) is ignored; clearing shows everything held again.
    store.applySearch(token - 1, history(entry(1, 'x')));
    store.setQuery('');
    expect(shown()).toEqual(['50:settings updated', '51:request', '52:Settings reset', '53:request', '54:settings updated']);
  });

  it('changing the level forgets every line and the resume id', () => {
    store.applySnapshot(store.beginSnapshot(), history(entry(1)), 'open');
    store.resumeId = '1700000000000001';
    store.setLevel('ERROR');
    expect(store.level).toBe('ERROR');
    expect(store.resumeId).toBeNull();
    expect(shown()).toEqual([]);
  });
});
