/** Thin typed calls for the system module; each returns the envelope's `data`. */
import type { components, operations } from '@contracts/gen/api';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { api, quietly, unwrap } from './client';

export type Health = components['schemas']['Health'];
export type Settings = components['schemas']['Settings'];
export type SettingsPatch = components['schemas']['SettingsPatch'];

export function getHealth(): Promise<Health> {
  return unwrap(api.GET('/api/system/health'));
}

export function getSettings(): Promise<Settings> {
  return unwrap(api.GET('/api/system/settings'));
}

export function updateSettings(patch: SettingsPatch): Promise<Settings> {
  return unwrap(api.PATCH('/api/system/settings', { body: patch }));
}

export function resetSettings(): Promise<Settings> {
  return unwrap(api.POST('/api/system/settings/reset'));
}

export type DistributedSettings = components['schemas']['DistributedSettings'];
export type DistributedStatus = components['schemas']['DistributedStatus'];

/** PINGs a Redis for distributed trials and lists its workers; an unreachable one is shown in place. */
export function testDistributed(redisUrl: string): Promise<DistributedStatus> {
  return unwrap(api.POST('/api/system/distributed/test', { body: { redisUrl }, middleware: [quietly([ErrorCodes.REDIS_UNAVAILABLE.code, ErrorCodes.VALIDATION_ERROR.code])] }));
}

export type LogEntry = components['schemas']['LogEntry'];
export type LogLevel = components['schemas']['LogLevel'];
export type LogPage = components['schemas']['LogPage'];
export type LogQuery = NonNullable<operations['queryLogs']['parameters']['query']>;

/** Log history from the server's in-memory ring, newest first. */
export function queryLogs(query: LogQuery): Promise<LogPage> {
  return unwrap(api.GET('/api/system/logs', { params: { query } }));
}
