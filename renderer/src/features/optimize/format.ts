/** How optimization figures read: an objective by its kind, a trial's parameters, a phase. */
import type { Objective } from '@/api/optimize';
import { formatPct, formatRatio } from '@/features/backtest/format';

/** Returns and PSR (a probability) as percentages, the ratios as plain numbers. */
export function formatObjective(objective: Objective | undefined, value: number | null | undefined): string {
  if (objective === 'annualReturn' || objective === 'totalReturn') return formatPct(value, 2, true);
  if (objective === 'probabilisticSharpe') return formatPct(value, 1);
  return formatRatio(value, 3);
}

/** `fast=5, slow=20` of the searched parameters (all of them when `names` is not given). */
export function paramsText(params: Readonly<Record<string, number>>, names?: readonly string[]): string {
  return (names ?? Object.keys(params))
    .filter((n) => params[n] !== undefined)
    .map((n) => `${n}=${params[n]}`)
    .join(', ');
}

export const PHASES = ['queued', 'loading', 'running', 'walk-forward', 'statistics', 'cancelling', 'done'] as const;
export type Phase = (typeof PHASES)[number];
export function knownPhase(phase: string): Phase | null {
  return (PHASES as readonly string[]).includes(phase) ? (phase as Phase) : null;
}
