/** Thin typed calls for alerts (contracts/alerts.yaml): the history, unread counts and the test alert. */
import type { components, operations } from '@contracts/gen/api';
import { api, unwrap } from './client';

export type Alert = components['schemas']['Alert'];
export type AlertEvent = components['schemas']['AlertEvent'];
export type AlertSeverity = components['schemas']['AlertSeverity'];
export type AlertPage = components['schemas']['AlertPage'];
export type UnreadAlertCount = components['schemas']['UnreadAlertCount'];
export type AlertQuery = NonNullable<operations['listAlerts']['parameters']['query']>;
export type NotificationSettings = components['schemas']['NotificationSettings'];

export function listAlerts(query: AlertQuery = {}): Promise<AlertPage> {
  return unwrap(api.GET('/api/alerts', { params: { query } }));
}

export function getUnreadAlertCount(): Promise<UnreadAlertCount> {
  return unwrap(api.GET('/api/alerts/unread-count'));
}

export function markAlertRead(id: string): Promise<Alert> {
  return unwrap(api.POST('/api/alerts/{id}/read', { params: { path: { id } } }));
}

export function acknowledgeAlert(id: string): Promise<Alert> {
  return unwrap(api.POST('/api/alerts/{id}/acknowledge', { params: { path: { id } } }));
}

export async function markAllAlertsRead(): Promise<number> {
  return (await unwrap(api.POST('/api/alerts/read-all'))).updated;
}

export async function deleteAlert(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/alerts/{id}', { params: { path: { id } } }));
}

/** Raises a test alert through the whole path; the answer says whether it is notified, and why not. */
export function raiseTestAlert(severity: AlertSeverity, message?: string): Promise<AlertEvent> {
  return unwrap(api.POST('/api/alerts/test', { body: { severity, ...(message ? { message } : {}) } }));
}
