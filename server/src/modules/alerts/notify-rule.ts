/**
 * The one notification rule (docs/ARCHITECTURE.md, "Alerts and notifications"): whether an alert
 * is shown as a desktop or browser notification under the notification settings, at an instant.
 * Pure. The alert service applies it once, when the alert is raised, and publishes the decision
 * with the alert (`notify` of the `alert` event); Electron main and the browser only read it, so
 * there is no second implementation to drift.
 *
 * Quiet hours are Beijing wall-clock time (the exchange's, like every clock of the app; Beijing has
 * no DST): from `start` inclusive to `end` exclusive, wrapping midnight when `end` < `start`
 * (22:00–07:00); `start` = `end` is an empty window.
 */
import type { components } from '../../../../contracts/gen/api';
import { beijingClock } from '../../engine/market/trading-clock';

export type AlertSeverity = components['schemas']['AlertSeverity'];
export type NotificationSettings = components['schemas']['NotificationSettings'];
export type NotifyDecision = components['schemas']['NotifyDecision'];

export const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = { info: 0, warning: 1, critical: 2 };

/** Minutes since midnight of `HH:mm`. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether the Beijing minute of the day lies in [start, end), wrapping midnight. */
export function inWindow(minute: number, start: string, end: string): boolean {
  const s = clockMinutes(start);
  const e = clockMinutes(end);
  if (s === e) return false;
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}

/** Whether quiet hours are on at `nowMs` (Unix ms), in Beijing time. */
export function inQuietHours(quiet: NotificationSettings['quietHours'], nowMs: number): boolean {
  return quiet.enabled && inWindow(beijingClock(nowMs).minute, quiet.start, quiet.end);
}

/** The decision with its reason: `disabled`, then `severity`, then `quiet-hours`. */
export function notifyDecision(alert: { severity: AlertSeverity }, settings: NotificationSettings, nowMs: number): NotifyDecision {
  const sound = settings.sound;
  if (!settings.enabled) return { show: false, sound, reason: 'disabled' };
  if (SEVERITY_RANK[alert.severity] < SEVERITY_RANK[settings.minSeverity]) return { show: false, sound, reason: 'severity' };
  if (inQuietHours(settings.quietHours, nowMs)) return { show: false, sound, reason: 'quiet-hours' };
  return { show: true, sound, reason: 'shown' };
}

export function shouldNotify(alert: { severity: AlertSeverity }, settings: NotificationSettings, nowMs: number): boolean {
  return notifyDecision(alert, settings, nowMs).show;
}
