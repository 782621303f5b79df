/**
 * The alert center: the unread count behind the header badge and the timeline the drawer shows,
 * both kept live by `/api/stream/alerts` (`connect()`, once for the app from the shell). An `alert`
 * event adds the alert and counts it unread; a fresh connection or a `reset` refetches both (what
 * was raised meanwhile is then in the list). Read, acknowledge, delete: the server's answer
 * replaces the row, and the count is refetched (another window may have read some too).
 *
 * Browser notifications are features/alerts/notify.ts (a separate concern, with its own stream
 * only when notifications are allowed).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  acknowledgeAlert,
  deleteAlert,
  getUnreadAlertCount,
  listAlerts,
  markAlertRead,
  markAllAlertsRead,
  raiseTestAlert,
  type Alert,
  type AlertSeverity,
  type UnreadAlertCount,
} from '@/api/alerts';
import { EventStream } from '@/api/sse';

/** A trader reads the latest; older alerts stay on the server. */
export const PAGE_SIZE = 100;

export interface AlertFilter {
  severity: AlertSeverity | null;
  unreadOnly: boolean;
}

const EMPTY_COUNT: UnreadAlertCount = { total: 0, bySeverity: { info: 0, warning: 0, critical: 0 } };

export function matches(alert: Alert, filter: AlertFilter): boolean {
  return (filter.severity === null || alert.severity === filter.severity) && (!filter.unreadOnly || !alert.read);
}

export const useAlertsStore = defineStore('alerts', () => {
  const unread = ref<UnreadAlertCount>({ ...EMPTY_COUNT, bySeverity: { ...EMPTY_COUNT.bySeverity } });
  const items = shallowRef<Alert[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const filter = ref<AlertFilter>({ severity: null, unreadOnly: false });
  const drawerOpen = ref(false);
  /** The alert a clicked notification asked for; the drawer scrolls to it. */
  const focusId = ref<string | null>(null);
  let stream: EventStream<'streamAlerts'> | null = null;
  /** Alerts counted since the last load: the test alert's answer and its event are one alert. */
  const counted = new Set<string>();

  const unreadTotal = computed(() => unread.value.total);

  async function loadCount(): Promise<void> {
    counted.clear();
    unread.value = await getUnreadAlertCount();
  }

  async function loadList(): Promise<void> {
    loading.value = true;
    try {
      const f = filter.value;
      const page = await listAlerts({ pageSize: PAGE_SIZE, ...(f.severity ? { severity: f.severity } : {}), ...(f.unreadOnly ? { read: false } : {}) });
      items.value = page.items;
      total.value = page.pagination.total;
    } finally {
      loading.value = false;
    }
  }

  async function load(): Promise<void> {
    await Promise.all([loadCount(), loadList()]);
  }

  function setFilter(next: Partial<AlertFilter>): Promise<void> {
    filter.value = { ...filter.value, ...next };
    return loadList();
  }

  /** A raised alert, from the stream. */
  function add(alert: Alert): void {
    if (counted.has(alert.id) || items.value.some((a) => a.id === alert.id)) return;
    counted.add(alert.id);
    if (!alert.read) {
      unread.value = {
        total: unread.value.total + 1,
        bySeverity: { ...unread.value.bySeverity, [alert.severity]: unread.value.bySeverity[alert.severity] + 1 },
      };
    }
    if (!matches(alert, filter.value)) return;
    items.value = [alert, ...items.value].slice(0, PAGE_SIZE);
    total.value += 1;
  }

  function replace(alert: Alert): void {
    items.value = items.value.flatMap((a) => (a.id !== alert.id ? [a] : matches(alert, filter.value) ? [alert] : []));
  }

  /** Follows the alerts stream (idempotent). */
  function connect(): void {
    if (stream) return;
    stream = new EventStream('streamAlerts', {
      on: {
        alert: (alert) => add(alert),
        reset: () => void load().catch(() => undefined),
      },
      onOpen: ({ resumed }) => {
        if (!resumed) void load().catch(() => undefined);
      },
    });
    stream.start();
  }

  function disconnect(): void {
    stream?.close();
    stream = null;
  }

  async function markRead(id: string): Promise<void> {
    replace(await markAlertRead(id));
    await loadCount();
  }

  async function acknowledge(id: string): Promise<void> {
    replace(await acknowledgeAlert(id));
    await loadCount();
  }

  async function markAllRead(): Promise<void> {
    await markAllAlertsRead();
    await load();
  }

  async function remove(id: string): Promise<void> {
    await deleteAlert(id);
    items.value = items.value.filter((a) => a.id !== id);
    total.value = Math.max(0, total.value - 1);
    await loadCount();
  }

  /** Raises a test alert through the whole path; it comes back on the stream like any other. */
  async function test(severity: AlertSeverity): Promise<void> {
    add(await raiseTestAlert(severity));
  }

  function open(alertId?: string): void {
    focusId.value = alertId ?? null;
    drawerOpen.value = true;
  }

  return { unread, unreadTotal, items, total, loading, filter, drawerOpen, focusId, loadCount, loadList, load, setFilter, add, connect, disconnect, markRead, acknowledge, markAllRead, remove, test, open };
});
