/**
 * Electron main's alert notifier (electron/main/notifier.ts) on a real server's bus, as main wires
 * it (context.bus): an alert raised — by a rule or the test endpoint — becomes exactly one native
 * notification, and the notification settings (threshold, quiet hours in Beijing time, disabled,
 * sound) decide as the server's one rule says. The Notification port is faked.
 */
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAlertNotifier, type AlertNotifier } from '../../electron/main/notifier';
import { beijing } from '../helpers/market';
import { testServer } from '../helpers/server';

class FakeNotification extends EventEmitter {
  constructor(readonly options: { title?: string; body?: string; silent?: boolean; urgency?: string }) {
    super();
  }
  show = vi.fn();
}

describe('native notifications of alerts on a real server', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let notifier: AlertNotifier;
  let clock = beijing('2024-06-14 10:00');
  const shown: FakeNotification[] = [];
  const reveal = vi.fn();
  const openAlert = vi.fn();

  beforeAll(async () => {
    server = await testServer({ now: () => clock });
    notifier = startAlertNotifier({
      bus: server.context.bus,
      notifications: {
        isSupported: () => true,
        create: (options) => {
          const n = new FakeNotification(options);
          shown.push(n);
          return n;
        },
      },
      reveal,
      openAlert,
    });
  });
  afterAll(async () => {
    notifier?.stop();
    await server?.close();
  });

  const test = async (severity: string) => {
    const res = await server.request({ method: 'POST', url: '/api/alerts/test', payload: { severity } });
    expect(res.statusCode).toBe(201);
    return res.json().data as { id: string; title: string; message: string };
  };
  const settings = (notifications: object) => server.request({ method: 'PATCH', url: '/api/system/settings', payload: { notifications } });

  it('a test alert becomes exactly one notification; a click opens it', async () => {
    const alert = await test('critical');
    expect(shown).toHaveLength(1);
    expect(shown[0]!.show).toHaveBeenCalledOnce();
    expect(shown[0]!.options).toMatchObject({ title: alert.title, body: alert.message, urgency: 'critical', silent: false });
    shown[0]!.emit('click');
    expect(reveal).toHaveBeenCalledOnce();
    expect(openAlert).toHaveBeenCalledExactlyOnceWith({ alertId: alert.id });
    expect(notifier.live.size).toBe(0);
  });

  it('a rule alert raised through context.alerts is notified once too', () => {
    shown.length = 0;
    server.context.alerts.raise({ ruleId: 'r', ruleName: 'Drawdown', kind: 'drawdown', scope: { type: 'account', id: 'paper' }, severity: 'warning', title: 'Drawdown 8 %', message: 'Over 5 %', value: 0.08, threshold: 0.05 });
    expect(shown.map((n) => n.options.title)).toEqual(['Drawdown 8 %']);
    shown[0]!.emit('close');
  });

  it('follows the settings: threshold, quiet hours (wrapping midnight, Beijing), disabled, sound', async () => {
    shown.length = 0;
    await test('info'); // below the default minimum, warning
    expect(shown).toHaveLength(0);

    await settings({ enabled: true, minSeverity: 'info', quietHours: { enabled: true, start: '22:00', end: '07:00' }, sound: false });
    await test('info');
    expect(shown).toHaveLength(1);
    expect(shown[0]!.options).toMatchObject({ silent: true, urgency: 'low' });

    clock = beijing('2024-06-14 23:00');
    await test('critical');
    clock = beijing('2024-06-15 06:59');
    await test('critical');
    expect(shown).toHaveLength(1);
    clock = beijing('2024-06-15 07:00');
    await test('critical');
    expect(shown).toHaveLength(2);

    await settings({ enabled: false, minSeverity: 'info', quietHours: { enabled: false, start: '22:00', end: '07:00' }, sound: true });
    await test('critical');
    expect(shown).toHaveLength(2);
  });
});
