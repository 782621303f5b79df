/** Thin typed calls for the system module; each returns the envelope's `data`. */
import type { components } from '@contracts/gen/api';
import { api, unwrap } from './client';

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
