/**
 * Connects the log viewer to the server: the log stream (through the one SSE client) feeds the
 * store; history is loaded over REST whenever the stream starts fresh or the server says it cannot
 * replay (`reset`, e.g. after a restart); a search also asks the server for older matches.
 * The stream closes when the owning component unmounts; the store keeps the lines and the last
 * id, so coming back resumes where it stopped.
 */
import { onScopeDispose } from 'vue';
import { queryLogs, type LogLevel } from '@/api/system';
import { useEventStream } from '@/api/sse';
import { HISTORY_SIZE, useLogsStore, type SnapshotCause } from '../store';

/** Typing pauses this long before the server is asked (the held lines filter at once). */
const SEARCH_DEBOUNCE_MS = 250;

export function useLogTail() {
  const store = useLogsStore();
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  async function loadHistory(cause: SnapshotCause, token: number): Promise<void> {
    try {
      const page = await queryLogs({ level: store.level, pageSize: HISTORY_SIZE });
      store.applySnapshot(token, page.items, cause);
    } catch {
      // Already reported by the API client; the live entries that arrived meanwhile are kept.
      store.applySnapshot(token, null, cause);
    }
    // After a restart the server's matches for the search are those of the new launch.
    if (store.query.trim()) setQuery(store.query);
  }

  const stream = useEventStream('streamLogs', {
    query: () => ({ level: store.level }),
    lastEventId: store.resumeId,
    // The stream is attached before history is read, so nothing logged in between is missed;
    // the store drops what arrives twice.
    onOpen: ({ resumed }) => {
      if (!resumed) void loadHistory('open', store.beginSnapshot());
    },
    on: {
      log: (entry, { id }) => {
        store.resumeId = id;
        if (store.receive(entry) !== 'restarted') return;
        const token = store.beginSnapshot();
        store.receive(entry); // kept with the history about to load
        void loadHistory('unknown-id', token);
      },
      reset: (reset, { id }) => {
        store.resumeId = id;
        void loadHistory(reset.reason === 'unknown-id' ? 'unknown-id' : 'reset', store.beginSnapshot());
      },
      // `overflow` needs nothing here: the client reconnects and the replay covers the gap.
    },
  });

  async function search(token: number, q: string): Promise<void> {
    try {
      const page = await queryLogs({ level: store.level, q, pageSize: HISTORY_SIZE });
      store.applySearch(token, page.items);
    } catch {
      // Reported by the API client; the held lines are still filtered.
    }
  }

  /** Filters the held lines now and asks the server for older matches shortly after. */
  function setQuery(value: string): void {
    const token = store.setQuery(value);
    clearTimeout(searchTimer);
    const q = value.trim();
    if (q) searchTimer = setTimeout(() => void search(token, q), SEARCH_DEBOUNCE_MS);
  }

  /** The server filters by level, so everything reloads: history and a fresh stream. */
  function setLevel(value: LogLevel): void {
    if (value === store.level) return;
    store.setLevel(value);
    stream.restart({ fresh: true }); // its history load repeats the search at the new level
  }

  onScopeDispose(() => clearTimeout(searchTimer));

  return { stream, setQuery, setLevel };
}
