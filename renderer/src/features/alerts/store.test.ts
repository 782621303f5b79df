import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type * as alertsApi from '@/api/alerts';
import { getUnreadAlertCount, listAlerts, markAlertRead, markAllAlertsRead, raiseTestAlert, type Alert, type AlertEvent } from '@/api/alerts';
import { matches, useAlertsStore } from './store';

vi.mock('@/api/alerts', async (original) => ({
  ...(await original<typeof alertsApi>()),
  listAlerts: vi.fn(),
  getUnreadAlertCount: vi.fn(),
  markAlertRead: vi.fn(),
  acknowledgeAlert: vi.fn(),
  markAllAlertsRead: vi.fn(),
  deleteAlert: vi.fn(),
  raiseTestAlert: vi.fn(),
}));

const streams: { options: { on: { alert: (a: AlertEvent) => void }; onOpen: (i: { resumed: boolean }) => void } }[] = [];
vi.mock('@/api/sse', () => ({
  EventStream: class {
    constructor(
      _name: string,
      readonly options: never,
    ) {
      streams.push(this as never);
    }
    start() {}
    close() {}
  },
}));

const alert = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  id: 'a1',
  ruleId: null,
  ruleName: 'test',
  kind: 'test',
  scope: { type: 'account', id: '1' },
  severity: 'warning',
  title: 'Test',
  message: 'm',
  createdAt: '2026-01-01T00:00:00Z',
  read: false,
  notify: { show: false, sound: false, reason: 'disabled' },
  ...over,
});
const zero = { total: 0, bySeverity: { info: 0, warning: 0, critical: 0 } };

beforeEach(() => {
  setActivePinia(createPinia());
  streams.length = 0;
  vi.mocked(listAlerts).mockResolvedValue({ items: [], pagination: { page: 1, pageSize: 100, total: 0 } });
  vi.mocked(getUnreadAlertCount).mockResolvedValue(zero);
});

describe('alerts store', () => {
  it('filters by severity and unread', () => {
    expect(matches(alert() as Alert, { severity: null, unreadOnly: true })).toBe(true);
    expect(matches(alert({ read: true }) as Alert, { severity: null, unreadOnly: true })).toBe(false);
    expect(matches(alert() as Alert, { severity: 'critical', unreadOnly: false })).toBe(false);
  });

  it('loads on a fresh connection and counts streamed alerts once', async () => {
    const store = useAlertsStore();
    store.connect();
    store.connect();
    expect(streams).toHaveLength(1);
    streams[0]!.options.onOpen({ resumed: false });
    await vi.waitFor(() => expect(listAlerts).toHaveBeenCalled());
    streams[0]!.options.on.alert(alert());
    streams[0]!.options.on.alert(alert());
    streams[0]!.options.on.alert(alert({ id: 'a2', severity: 'critical' }));
    expect(store.unread).toEqual({ total: 2, bySeverity: { info: 0, warning: 1, critical: 1 } });
    expect(store.items.map((a) => a.id)).toEqual(['a2', 'a1']);
  });

  it('a test alert and its event are one alert, even when the filter hides it', async () => {
    const store = useAlertsStore();
    await store.setFilter({ severity: 'critical' });
    vi.mocked(raiseTestAlert).mockResolvedValue(alert());
    await store.test('warning');
    store.add(alert());
    expect(store.unreadTotal).toBe(1);
    expect(store.items).toEqual([]);
  });

  it('mark read replaces the row (dropping it under "unread only") and refetches the count', async () => {
    const store = useAlertsStore();
    store.add(alert());
    await store.setFilter({ unreadOnly: true });
    vi.mocked(listAlerts).mockResolvedValue({ items: [alert()], pagination: { page: 1, pageSize: 100, total: 1 } });
    await store.loadList();
    vi.mocked(markAlertRead).mockResolvedValue(alert({ read: true }));
    await store.markRead('a1');
    expect(store.items).toEqual([]);
    expect(getUnreadAlertCount).toHaveBeenCalled();
    expect(store.unreadTotal).toBe(0);
  });

  it('mark all read reloads', async () => {
    const store = useAlertsStore();
    vi.mocked(markAllAlertsRead).mockResolvedValue(3);
    await store.markAllRead();
    expect(listAlerts).toHaveBeenCalled();
    expect(getUnreadAlertCount).toHaveBeenCalled();
  });

  it('open() shows the drawer at an alert', () => {
    const store = useAlertsStore();
    store.open('a7');
    expect(store).toMatchObject({ drawerOpen: true, focusId: 'a7' });
  });
});
