import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertEvent } from '@/api/alerts';
import { FakeEventSource } from '@/test/fake-event-source';
import { OPEN_ALERT_EVENT, showAlertNotification, startAlertNotifications } from './notify';

const alert = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  id: 'a1',
  ruleId: null,
  ruleName: 'Test',
  kind: 'test',
  scope: { type: 'account', id: 'default' },
  severity: 'critical',
  title: 'Test alert',
  message: 'hello',
  createdAt: '2024-06-14T02:00:00.000Z',
  read: false,
  notify: { show: true, sound: true, reason: 'shown' },
  ...over,
});

class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission = vi.fn(async () => FakeNotification.permission);
  static made: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.made.push(this);
  }
}

beforeEach(() => {
  FakeNotification.made = [];
  FakeNotification.permission = 'granted';
  FakeNotification.requestPermission.mockClear();
  FakeEventSource.instances = [];
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
  delete window.mystocksDesktop;
});

describe('browser alert notifications', () => {
  it('follows the server decision: shows notify.show alerts only, silent unless sound', () => {
    const api = FakeNotification as unknown as typeof Notification;
    expect(showAlertNotification(alert({ notify: { show: false, sound: true, reason: 'quiet-hours' } }), api)).toBeUndefined();
    showAlertNotification(alert({ notify: { show: true, sound: false, reason: 'shown' } }), api);
    expect(FakeNotification.made.map((n) => [n.title, n.options])).toEqual([['Test alert', { body: 'hello', tag: 'a1', silent: true, requireInteraction: true }]]);
  });

  it('shows nothing without permission', () => {
    FakeNotification.permission = 'denied';
    expect(showAlertNotification(alert(), FakeNotification as unknown as typeof Notification)).toBeUndefined();
  });

  it('a click focuses the page and asks to open the alert', () => {
    const opened = vi.fn();
    window.addEventListener(OPEN_ALERT_EVENT, (e) => opened((e as CustomEvent).detail));
    const n = showAlertNotification(alert({ id: 'x9' }), FakeNotification as unknown as typeof Notification) as unknown as FakeNotification;
    n.onclick!();
    expect(opened).toHaveBeenCalledWith({ alertId: 'x9' });
    expect(n.close).toHaveBeenCalled();
  });

  it('asks for permission once and, once granted, follows the alerts stream', async () => {
    FakeNotification.permission = 'default';
    FakeNotification.requestPermission.mockImplementationOnce(async () => (FakeNotification.permission = 'granted'));
    const stop = startAlertNotifications();
    expect(FakeNotification.requestPermission).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.latest();
    expect(source.url).toContain('/api/stream/alerts');
    source.open();
    source.send('alert', alert(), '7');
    expect(FakeNotification.made).toHaveLength(1);
    stop();
    expect(source.closed).toBe(true);
  });

  it('opens no stream without permission (the browser has few connections per origin)', async () => {
    FakeNotification.permission = 'default';
    FakeNotification.requestPermission.mockImplementationOnce(async () => (FakeNotification.permission = 'denied'));
    startAlertNotifications();
    await new Promise((r) => setTimeout(r, 10));
    expect(FakeEventSource.instances).toEqual([]);
    FakeNotification.permission = 'denied';
    startAlertNotifications();
    expect(FakeEventSource.instances).toEqual([]);
  });

  it('in the desktop app shows nothing (main notifies natively) and turns a clicked native notification into the same event', () => {
    let forward: ((payload: { alertId: string }) => void) | undefined;
    const off = vi.fn();
    window.mystocksDesktop = { serverInfo: vi.fn(), choosePath: vi.fn(), appVersion: '0.1.0', onOpenAlert: (l) => ((forward = l), off) };
    const opened = vi.fn();
    window.addEventListener(OPEN_ALERT_EVENT, (e) => opened((e as CustomEvent).detail));
    const stop = startAlertNotifications();
    expect(FakeEventSource.instances).toEqual([]);
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    forward!({ alertId: 'n7' });
    expect(opened).toHaveBeenCalledWith({ alertId: 'n7' });
    stop();
    expect(off).toHaveBeenCalledOnce();
  });
});
