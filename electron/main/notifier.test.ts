/**
 * The alert notifier (electron/main/notifier.ts) with the Notification port and the bus faked:
 * it follows the server's decision (threshold, quiet hours, disabled → nothing shown), maps
 * severity to urgency and sound to silent, holds each notification until click/close/failed, and a
 * click reveals the window and asks the renderer to open the alert. The same notifier on a real
 * server's bus is tested in tests/unit/alert-notifier.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { APP_USER_MODEL_ID, notificationOptions, startAlertNotifier, type AlertEvent, type NotifierDeps } from './notifier';

class FakeNotification extends EventEmitter {
  shown = 0;
  constructor(readonly options: object) {
    super();
  }
  show(): void {
    this.shown++;
  }
}

function fakeBus() {
  const listeners = new Set<(m: { topic: string; event: string; data: unknown }) => void>();
  return {
    subscribe: vi.fn((topic: string, listener: (m: { topic: string; event: string; data: unknown }) => void) => {
      expect(topic).toBe('alerts');
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    publish: (event: string, data: unknown) => {
      for (const l of listeners) l({ topic: 'alerts', event, data });
    },
    get size() {
      return listeners.size;
    },
  };
}

const alert = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  id: 'a1',
  ruleId: 'r1',
  ruleName: 'Stop',
  kind: 'price_below',
  scope: { type: 'symbol', id: '600000.SH' },
  symbol: '600000.SH',
  severity: 'warning',
  title: '600000.SH below 7.00',
  message: 'Last 6.95',
  createdAt: '2024-06-14T02:00:00.000Z',
  read: false,
  notify: { show: true, sound: true, reason: 'shown' },
  ...over,
});

function setup(supported = true) {
  const bus = fakeBus();
  const created: FakeNotification[] = [];
  const deps = {
    bus: bus as unknown as NotifierDeps['bus'],
    notifications: {
      isSupported: () => supported,
      create: (options: object) => {
        const n = new FakeNotification(options);
        created.push(n);
        return n;
      },
    },
    reveal: vi.fn(),
    openAlert: vi.fn(),
    onError: vi.fn(),
  };
  const notifier = startAlertNotifier(deps);
  return { bus, created, deps, notifier };
}

describe('alert notifier', () => {
  it('shows an alert the server decided to notify, once, with title, body, urgency and sound', () => {
    const { bus, created } = setup();
    bus.publish('alert', alert());
    expect(created).toHaveLength(1);
    expect(created[0]!.shown).toBe(1);
    expect(created[0]!.options).toEqual({ title: '600000.SH below 7.00', body: 'Last 6.95', urgency: 'normal', silent: false, timeoutType: 'default' });
  });

  it('maps severity to urgency and sound off to silent', () => {
    expect(notificationOptions(alert({ severity: 'critical' }))).toMatchObject({ urgency: 'critical', timeoutType: 'never' });
    expect(notificationOptions(alert({ severity: 'warning' }))).toMatchObject({ urgency: 'normal' });
    expect(notificationOptions(alert({ severity: 'info' }))).toMatchObject({ urgency: 'low' });
    expect(notificationOptions(alert({ notify: { show: true, sound: false, reason: 'shown' } }))).toMatchObject({ silent: true });
  });

  it('shows nothing below the threshold, in quiet hours or when disabled (the decision the alert carries)', () => {
    const { bus, created } = setup();
    for (const reason of ['severity', 'quiet-hours', 'disabled'] as const) bus.publish('alert', alert({ severity: 'info', notify: { show: false, sound: true, reason } }));
    bus.publish('reset', { reason: 'too-old', latestId: 1 });
    expect(created).toEqual([]);
  });

  it('shows nothing where the platform has no notifications', () => {
    const { bus, created } = setup(false);
    bus.publish('alert', alert());
    expect(created).toEqual([]);
  });

  it('a click reveals the window and asks the renderer to open the alert, then lets the notification go', () => {
    const { bus, created, deps, notifier } = setup();
    bus.publish('alert', alert({ id: 'x42' }));
    expect(notifier.live.size).toBe(1);
    created[0]!.emit('click');
    expect(deps.reveal).toHaveBeenCalledOnce();
    expect(deps.openAlert).toHaveBeenCalledExactlyOnceWith({ alertId: 'x42' });
    expect(notifier.live.size).toBe(0);
  });

  it('keeps every shown notification referenced until it is closed or fails', () => {
    const { bus, created, deps, notifier } = setup();
    bus.publish('alert', alert({ id: 'a' }));
    bus.publish('alert', alert({ id: 'b' }));
    bus.publish('alert', alert({ id: 'c' }));
    expect([...notifier.live]).toEqual(created);
    created[0]!.emit('close');
    expect([...notifier.live]).toEqual([created[1], created[2]]);
    created[1]!.emit('failed', {}, 'no daemon');
    expect([...notifier.live]).toEqual([created[2]]);
    expect(deps.onError).toHaveBeenCalledWith('alert notification failed', { alertId: 'b', error: 'no daemon' });
    // Closing is not a click.
    expect(deps.reveal).not.toHaveBeenCalled();
  });

  it('a failing Notification does not reach the bus; stop unsubscribes', () => {
    const { bus, deps, notifier } = setup();
    deps.notifications.create = () => {
      throw new Error('boom');
    };
    expect(() => bus.publish('alert', alert())).not.toThrow();
    expect(deps.onError).toHaveBeenCalledWith('cannot show an alert notification', expect.anything());
    notifier.stop();
    expect(bus.size).toBe(0);
  });

  it('uses the appId of electron-builder.yml as the Windows AppUserModelID', () => {
    const config = parse(readFileSync(path.resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')) as { appId: string };
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });
});
