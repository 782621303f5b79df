/**
 * Browser notifications of alerts, for the serve mode (`npm run serve`, the app in a plain
 * browser). In the desktop app Electron main shows them natively from the server's bus, so this
 * does nothing where the preload bridge exists (no double notifications).
 *
 * Nothing is decided here: every `alert` event carries `notify`, the server's one decision under
 * the notification settings (enabled, minimum severity, quiet hours in Beijing time) taken when the
 * alert was raised (docs/ARCHITECTURE.md, "Alerts and notifications"). This only follows it.
 * A click focuses the page and dispatches `mystocks:open-alert` ({ alertId }) on window for the
 * alert center to come; in the desktop app a click on a native notification arrives from the
 * preload (`onOpenAlert`) and is dispatched as the same event.
 */
import type { AlertEvent } from '@/api/alerts';
import { desktopBridge } from '@/api/desktop-bridge';
import { EventStream } from '@/api/sse';

export const OPEN_ALERT_EVENT = 'mystocks:open-alert';

/** Shows the alert as a Web Notification when the server decided so and the user allowed it. */
export function showAlertNotification(alert: AlertEvent, NotificationApi: typeof Notification | undefined = globalThis.Notification): Notification | undefined {
  if (!alert.notify.show || !NotificationApi || NotificationApi.permission !== 'granted') return undefined;
  const notification = new NotificationApi(alert.title, {
    body: alert.message,
    tag: alert.id,
    silent: !alert.notify.sound,
    requireInteraction: alert.severity === 'critical',
  });
  notification.onclick = () => {
    window.focus();
    window.dispatchEvent(new CustomEvent(OPEN_ALERT_EVENT, { detail: { alertId: alert.id } }));
    notification.close();
  };
  return notification;
}

/**
 * Asks for permission (once, if not decided yet) and, once notifications are allowed, follows
 * /api/stream/alerts for the app's lifetime. Without permission no stream is opened: a browser
 * keeps at most six HTTP/1.1 connections to one origin, and the other streams need them (see
 * MAX_STREAMS in features/backtest/runs.ts). Answers a stop function; a no-op without Notification
 * support.
 */
export function startAlertNotifications(): () => void {
  const bridge = desktopBridge();
  if (bridge) return bridge.onOpenAlert?.(({ alertId }) => window.dispatchEvent(new CustomEvent(OPEN_ALERT_EVENT, { detail: { alertId } }))) ?? (() => undefined);
  if (typeof Notification === 'undefined') return () => undefined;
  let stream: EventStream<'streamAlerts'> | undefined;
  let stopped = false;
  const follow = () => {
    if (stopped || stream) return;
    stream = new EventStream('streamAlerts', { on: { alert: (alert) => void showAlertNotification(alert) } });
    stream.start();
  };
  if (Notification.permission === 'granted') follow();
  else if (Notification.permission === 'default') {
    void Notification.requestPermission().then(
      (permission) => permission === 'granted' && follow(),
      () => undefined,
    );
  }
  return () => {
    stopped = true;
    stream?.close();
  };
}
