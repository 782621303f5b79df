/**
 * Thin typed calls for the market replay (contracts/replay.yaml). Replayed quotes and `replay`
 * state events arrive on the quote stream (`streamQuotes`), not here.
 */
import type { components } from '@contracts/gen/api';
import { api, unwrap } from './client';

type Schemas = components['schemas'];
export type ReplayState = Schemas['ReplayState'];
export type ReplayRequest = Schemas['ReplayRequest'];
export type ReplayControl = Schemas['ReplayControl'];
export type ReplaySpeed = Schemas['ReplaySpeed'];
export type ReplayPeriod = NonNullable<ReplayRequest['period']>;

export function getReplay(): Promise<ReplayState> {
  return unwrap(api.GET('/api/replay'));
}

export function startReplay(body: ReplayRequest): Promise<ReplayState> {
  return unwrap(api.POST('/api/replay/start', { body }));
}

export function controlReplay(body: ReplayControl): Promise<ReplayState> {
  return unwrap(api.POST('/api/replay/control', { body }));
}
