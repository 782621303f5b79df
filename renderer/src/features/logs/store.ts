/**
 * The log viewer's lines: REST history and live SSE entries merged without gaps or duplicates,
 * a pause buffer, the client-side search view, and a cap on memory (oldest lines dropped).
 *
 * It lives in a store so the lines (and the last SSE id) survive leaving the page: coming back
 * resumes the stream after that id instead of starting over. Up to 100,000 lines are held, so
 * the arrays are plain (not deeply reactive) and `version` says when they changed; live entries
 * are batched and appended at most every FLUSH_MS.
 *
 * Entry ids restart at 1 with each server launch; SSE ids keep increasing across launches. So
 * "same entry" means same id and same timestamp within the current launch, and a launch boundary
 * is found from the data when it has to be (see applySnapshot and receive).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LogEntry, LogLevel } from '@/api/system';
import { matchesNeedle } from './format';

export const DEFAULT_MAX_LINES = 100_000;
/** Entries loaded over REST on open, after a reset and for a search (the API's page limit). */
export const HISTORY_SIZE = 1000;
const FLUSH_MS = 50;

export type DividerReason = 'restart' | 'gap';

export interface EntryLine {
  readonly kind: 'entry';
  /** Unique per line in this page's life; the list's key. */
  readonly seq: number;
  readonly entry: LogEntry;
}

export interface DividerLine {
  readonly kind: 'divider';
  readonly seq: number;
  readonly reason: DividerReason;
  /** When the viewer noticed (ms since epoch). */
  readonly at: number;
}

export type LogLine = EntryLine | DividerLine;

/** What made the viewer load history: the stream opened fresh, or the server answered `reset`. */
export type SnapshotCause = 'open' | 'reset' | 'unknown-id';

/** `restarted`: entry ids went backwards with no `reset`, i.e. a new server launch; reload history. */
export type ReceiveResult = 'queued' | 'duplicate' | 'restarted';

function countEntries(lines: readonly LogLine[]): number {
  let n = 0;
  for (const line of lines) if (line.kind === 'entry') n++;
  return n;
}

function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item); // no spread: 100k arguments would overflow the stack
}

export const useLogsStore = defineStore('logs', () => {
  /** Minimum level, filtered by the server (history query and stream). */
  const level = ref<LogLevel>('DEBUG');
  /** Search text: filters held lines here, and finds older ones in the server's history. */
  const query = ref('');
  const paused = ref(false);
  const maxLines = ref(DEFAULT_MAX_LINES);
  const loading = ref(false);
  /** The last SSE id received, to resume after when the page is opened again. */
  const resumeId = ref<string | null>(null);
  const version = ref(0);
  /** Entries received while paused, waiting to be shown. */
  const heldCount = ref(0);
  /** Lines the cap removed from the top of the view, in total (lets the list keep its place). */
  const droppedFromView = ref(0);
  /** Older matches the server found for the current search (not otherwise held). */
  const searchFound = ref(0);

  let lines: LogLine[] = [];
  /** `lines` itself without a search; otherwise the matching lines plus older server matches. */
  let view: LogLine[] = lines;
  /** Received while paused. */
  let held: LogLine[] = [];
  /** Received since the last flush. */
  let incoming: LogLine[] = [];
  /** Server search results of the current launch, oldest first. */
  let searchLines: EntryLine[] = [];
  /** `seq` of the first line of the current server launch: older lines are from earlier ones. */
  let segmentStart = 0;
  let seq = 0;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let snapshotToken = 0;
  /** Live entries that arrive while history is loading; merged with it. */
  let snapshotPending: LogEntry[] | null = null;
  let searchToken = 0;

  const entryLine = (entry: LogEntry): EntryLine => ({ kind: 'entry', seq: ++seq, entry });
  const needle = () => query.value.trim().toLowerCase();
  const inView = (line: LogLine, n: string) => line.kind === 'divider' || matchesNeedle(line.entry, n);

  /**
   * Newest first over everything received (not yet flushed, held while paused, shown), stopping at
   * a restart divider: what came before it belongs to an earlier launch, whose ids mean nothing now.
   */
  function* newestOfLaunch(): Generator<EntryLine> {
    for (const list of [incoming, held, lines]) {
      for (let i = list.length - 1; i >= 0; i--) {
        const line = list[i]!;
        if (line.kind === 'divider') {
          if (line.reason === 'restart') return;
          continue;
        }
        yield line;
      }
    }
  }

  function lastEntry(): LogEntry | undefined {
    for (const line of newestOfLaunch()) return line.entry;
    return undefined;
  }

  function holds(entry: LogEntry): boolean {
    for (const line of newestOfLaunch()) {
      if (line.entry.id < entry.id) return false;
      if (line.entry.id === entry.id) return line.entry.timestamp === entry.timestamp;
    }
    return false;
  }

  /** A live `log` event. */
  function receive(entry: LogEntry): ReceiveResult {
    if (snapshotPending) {
      snapshotPending.push(entry);
      return 'queued';
    }
    const last = lastEntry();
    if (last && entry.id <= last.id) {
      if (holds(entry)) return 'duplicate';
      // Within a launch the stream never goes back, so this is a new launch that did not answer
      // with `reset`: possible only if its SSE ids overlap the old ones (they start at launch
      // time × 1000, so e.g. after the clock was set back). The caller reloads history.
      return 'restarted';
    }
    incoming.push(entryLine(entry));
    flushTimer ??= setTimeout(flush, FLUSH_MS);
    return 'queued';
  }

  function flush(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = incoming;
    incoming = [];
    append(batch);
  }

  function append(batch: LogLine[]): void {
    if (batch.length === 0) return;
    if (paused.value) {
      pushAll(held, batch);
      let count = heldCount.value + countEntries(batch);
      const excess = held.length - maxLines.value;
      if (excess > 0) count -= countEntries(held.splice(0, excess)); // beyond the cap it could not be shown anyway
      heldCount.value = count;
      return;
    }
    pushAll(lines, batch);
    const n = needle();
    if (view !== lines) pushAll(view, batch.filter((line) => inView(line, n)));
    const excess = lines.length - maxLines.value;
    if (excess > 0) {
      // Drop 1 % more than needed, so this O(n) shift happens once per 1,000 lines, not per batch.
      const count = Math.min(lines.length, excess + Math.ceil(maxLines.value / 100));
      const removed = lines.splice(0, count);
      if (view === lines) droppedFromView.value += count;
      else {
        droppedFromView.value += removed.filter((line) => inView(line, n)).length;
        rebuildView();
      }
    }
    version.value++;
  }

  function setPaused(value: boolean): void {
    if (paused.value === value) return;
    flush();
    paused.value = value;
    if (!value) {
      const batch = held;
      held = [];
      heldCount.value = 0;
      append(batch);
    }
  }

  /** Starts loading history: live entries wait until it arrives. Returns the token for apply. */
  function beginSnapshot(): number {
    flush();
    snapshotPending = [];
    loading.value = true;
    return ++snapshotToken;
  }

  /**
   * Merges history (newest first, as the API sends it) with the live entries that came meanwhile,
   * then joins the result to what is held:
   *  - our newest entry is in it (same id and time): same launch, append only what is newer;
   *  - every id is newer than ours: same launch, but lines were missed → a "gap" divider;
   *  - otherwise ids started again: the server restarted → a "restart" divider.
   * `history` is null when it could not be loaded: the live entries are kept anyway.
   */
  function applySnapshot(token: number, history: readonly LogEntry[] | null, cause: SnapshotCause): void {
    if (token !== snapshotToken || !snapshotPending) return;
    const byId = new Map<number, LogEntry>();
    for (const entry of history ?? []) byId.set(entry.id, entry);
    for (const entry of snapshotPending) byId.set(entry.id, entry);
    const fresh = [...byId.values()].sort((a, b) => a.id - b.id);
    snapshotPending = null;
    loading.value = false;

    const last = lastEntry();
    let next = fresh;
    let divider: DividerReason | null = null;
    if (last) {
      const at = fresh.findIndex((entry) => entry.id === last.id);
      if (at >= 0 && fresh[at]!.timestamp === last.timestamp) next = fresh.slice(at + 1);
      else if (fresh.length > 0) divider = fresh[0]!.id > last.id ? 'gap' : 'restart';
      // Nothing to compare with (e.g. no entry at this level yet): trust what the server said.
      else if (cause === 'unknown-id') divider = 'restart';
      else if (cause === 'reset') divider = 'gap';
    }
    const batch: LogLine[] = [];
    if (divider) {
      const line: DividerLine = { kind: 'divider', seq: ++seq, reason: divider, at: Date.now() };
      batch.push(line);
      if (divider === 'restart') {
        segmentStart = line.seq;
        // Server matches were from the previous launch: they would now sit in the wrong place.
        searchLines = [];
        searchToken++;
        rebuildView();
      }
    }
    for (const entry of next) batch.push(entryLine(entry));
    append(batch);
    version.value++; // also when nothing was added: `loading` ended
  }

  /** Forgets every line, e.g. when the level changes (the server filters, so all must reload). */
  function clear(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    lines = [];
    held = [];
    incoming = [];
    searchLines = [];
    searchFound.value = 0;
    heldCount.value = 0;
    snapshotPending = null;
    loading.value = false;
    snapshotToken++;
    searchToken++;
    segmentStart = seq + 1;
    rebuildView();
    version.value++;
  }

  function setLevel(value: LogLevel): void {
    if (level.value === value) return;
    level.value = value;
    resumeId.value = null;
    clear();
  }

  /** Filters at once; the caller then asks the server (beginSearch/applySearch). */
  function setQuery(value: string): number {
    query.value = value;
    searchLines = [];
    searchFound.value = 0;
    rebuildView();
    version.value++;
    return ++searchToken;
  }

  /** Server search results (newest first) for the query of `token`. */
  function applySearch(token: number, results: readonly LogEntry[]): void {
    if (token !== searchToken || !needle()) return;
    searchLines = [...results].reverse().map(entryLine);
    rebuildView();
    version.value++;
  }

  /** Id of the first entry held from the current launch: server matches older than it are new to us. */
  function firstIdOfLaunch(): number {
    for (const list of [lines, held, incoming]) {
      for (const line of list) if (line.kind === 'entry' && line.seq >= segmentStart) return line.entry.id;
    }
    return Infinity;
  }

  function rebuildView(): void {
    const n = needle();
    if (!n) {
      view = lines;
      searchFound.value = 0;
      return;
    }
    const firstId = firstIdOfLaunch();
    const older = searchLines.filter((line) => line.entry.id < firstId);
    searchFound.value = older.length;
    const out: LogLine[] = [];
    let placed = older.length === 0;
    for (const line of lines) {
      if (!placed && line.seq >= segmentStart) {
        pushAll(out, older);
        placed = true;
      }
      if (inView(line, n)) out.push(line);
    }
    if (!placed) pushAll(out, older);
    view = out;
  }

  /** The lines to show (read `version` first so a computed re-runs when they change). */
  function getView(): readonly LogLine[] {
    return view;
  }

  /** All lines held, search or not. */
  function totalLines(): number {
    return lines.length;
  }

  return {
    level,
    query,
    paused,
    maxLines,
    loading,
    resumeId,
    version,
    heldCount,
    droppedFromView,
    searchFound,
    receive,
    flush,
    setPaused,
    beginSnapshot,
    applySnapshot,
    clear,
    setLevel,
    setQuery,
    applySearch,
    getView,
    totalLines,
  };
});

export type LogsStore = ReturnType<typeof useLogsStore>;
