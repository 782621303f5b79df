/**
 * Native notifications of alerts (docs/ARCHITECTURE.md, "Alerts and notifications"). Main
 * subscribes to the embedded server's bus topic `alerts` directly (context.bus, reached through
 * server/src/app.ts), never through the renderer, so alerts are notified while the window is hidden
 * in the tray or minimised.
 *
 * Whether to notify is not decided here: the server decides once when the alert is raised (the one
 * rule, server/src/modules/alerts/notify-rule.ts: enabled, minimum severity, quiet hours in Beijing
 * time) and publishes it as `alert.notify`; this only follows `notify.show` and `notify.sound`.
 *
 * Each shown Notification is kept referenced until its `click`, `close` or `failed`: a notification
 * that is garbage-collected loses its click handler. A click reveals the window (show, restore,
 * focus) and sends the renderer `alerts:open` (electron/shared/ipc.ts, IpcEvents) with the alert id.
 */
import type { NotificationConstructorOptions } from 'electron';
import type { SseEventPayloads } from '../../contracts/gen/sse-events';
import type { ServerContext } from '../../server/src/app';
import type { IpcEvents } from '../shared/ipc';

export type AlertEvent = SseEventPayloads['alert'];

/**
 * The Windows AppUserModelID: must equal `appId` in electron-builder.yml (checked by a test), or
 * Windows shows no toast for the installed app.
 */
export const APP_USER_MODEL_ID = 'com.mystocks.workstation';

/** What main needs of Electron's Notification (faked in tests). */
export interface NotificationLike {
  show(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
}

export interface NotificationPort {
  isSupported(): boolean;
  create(options: NotificationConstructorOptions): NotificationLike;
}

export interface NotifierDeps {
  bus: Pick<ServerContext['bus'], 'subscribe'>;
  notifications: NotificationPort;
  /** Show, restore and focus the main window. */
  reveal(): void;
  /** Tell the renderer to open the alert (webContents.send of `alerts:open`). */
  openAlert(payload: IpcEvents['alerts:open']): void;
  onError?(message: string, extra?: Record<string, unknown>): void;
}

export interface AlertNotifier {
  /** Notifications shown and not yet clicked, closed or failed (held against garbage collection). */
  readonly live: ReadonlySet<NotificationLike>;
  stop(): void;
}

const URGENCY: Readonly<Record<AlertEvent['severity'], NonNullable<NotificationConstructorOptions['urgency']>>> = {
  critical: 'critical',
  warning: 'normal',
  info: 'low',
};

/** The notification for an alert: title and body from the alert, urgency by severity, silent unless sound. */
export function notificationOptions(alert: AlertEvent): NotificationConstructorOptions {
  return {
    title: alert.title,
    body: alert.message,
    urgency: URGENCY[alert.severity],
    silent: !alert.notify.sound,
    // Critical alerts stay on screen until dismissed (Linux/Windows).
    timeoutType: alert.severity === 'critical' ? 'never' : 'default',
  };
}

export function startAlertNotifier(deps: NotifierDeps): AlertNotifier {
  const live = new Set<NotificationLike>();

  const show = (alert: AlertEvent): void => {
    if (!alert.notify.show || !deps.notifications.isSupported()) return;
    const notification = deps.notifications.create(notificationOptions(alert));
    live.add(notification);
    notification.on('click', () => {
      live.delete(notification);
      deps.reveal();
      deps.openAlert({ alertId: alert.id });
    });
    notification.on('close', () => live.delete(notification));
    notification.on('failed', (_event, error) => {
      live.delete(notification);
      deps.onError?.('alert notification failed', { alertId: alert.id, error });
    });
    notification.show();
  };

  const unsubscribe = deps.bus.subscribe('alerts', (message) => {
    if (message.event !== 'alert') return;
    try {
      show(message.data as AlertEvent);
    } catch (err) {
      deps.onError?.('cannot show an alert notification', { err });
    }
  });

  return {
    live,
    stop: () => {
      unsubscribe();
      live.clear();
    },
  };
}
