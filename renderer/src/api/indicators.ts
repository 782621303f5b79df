/** Thin typed calls for the indicators module; each returns the envelope's `data`. */
import type { components } from '@contracts/gen/api';
import { api, quietly, unwrap } from './client';
import type { CallOptions, KlineQuery } from './market';

export type Convention = components['schemas']['Convention'];
export type IndicatorMeta = components['schemas']['IndicatorMeta'];
export type IndicatorParamMeta = components['schemas']['IndicatorParamMeta'];
export type IndicatorOutputMeta = components['schemas']['IndicatorOutputMeta'];
export type IndicatorUse = components['schemas']['IndicatorUse'];
export type IndicatorParams = components['schemas']['IndicatorParams'];
export type CalculateRequest = components['schemas']['CalculateRequest'];
export type Calculation = components['schemas']['Calculation'];
export type IndicatorResult = components['schemas']['IndicatorResult'];
export type IndicatorSet = components['schemas']['IndicatorSet'];
export type IndicatorSetInput = components['schemas']['IndicatorSetInput'];
export type ChartIndicators = components['schemas']['ChartIndicators'];

function middleware(options: CallOptions) {
  return options.quiet ? [quietly(options.quiet)] : undefined;
}

/** Every indicator the server computes, TA-Lib convention first, then TDX. */
export function getIndicatorRegistry(options: CallOptions = {}): Promise<IndicatorMeta[]> {
  return unwrap(api.GET('/api/indicators/registry', { signal: options.signal, middleware: middleware(options) }));
}

/**
 * Indicators over the bars of a K-line query (the same `symbol`/`period`/`start`/`end`/`adjust`/
 * `limit` as GET /api/market/kline, so the values line up with those bars).
 */
export function calculateIndicators(
  query: KlineQuery,
  indicators: IndicatorUse[],
  convention: Convention | undefined,
  options: CallOptions = {},
): Promise<Calculation> {
  const body: CalculateRequest = { ...query, indicators };
  if (convention) body.convention = convention;
  return unwrap(api.POST('/api/indicators/calculate', { body, signal: options.signal, middleware: middleware(options) }));
}

export function listIndicatorSets(): Promise<IndicatorSet[]> {
  return unwrap(api.GET('/api/indicators/sets'));
}

export function createIndicatorSet(input: IndicatorSetInput): Promise<IndicatorSet> {
  return unwrap(api.POST('/api/indicators/sets', { body: input }));
}

export function replaceIndicatorSet(id: number, input: IndicatorSetInput): Promise<IndicatorSet> {
  return unwrap(api.PUT('/api/indicators/sets/{id}', { params: { path: { id } }, body: input }));
}

export async function deleteIndicatorSet(id: number): Promise<void> {
  const { response } = await api.DELETE('/api/indicators/sets/{id}', { params: { path: { id } } });
  void response; // errors have been thrown by the client middleware
}
