/** Builders for the rules tests: a rule with defaults, a quote at a Beijing wall time. */
import type { QuoteTick, RuleCondition, RuleDefinition, RuleScope } from './types';

/** Unix ms of a Beijing wall time, `HH:MM[:SS]` on `date` (default Monday 2026-03-02). */
export function bj(time: string, date = '2026-03-02'): number {
  return Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}+08:00`);
}

let serial = 0;

export function rule(condition: RuleCondition, scope: RuleScope, over: Partial<RuleDefinition> = {}): RuleDefinition {
  return {
    id: `r${++serial}`,
    name: `rule ${serial}`,
    enabled: true,
    severity: 'warning',
    scope,
    condition,
    frequency: { mode: 'every', cooldownSeconds: 0 },
    ...over,
  };
}

export const on = (symbol: string): RuleScope => ({ type: 'symbol', symbol });
export const watchlist = (...symbols: string[]): RuleScope => ({ type: 'watchlist', symbols });
export const account: RuleScope = { type: 'account' };

export function tick(symbol: string, price: number, time: string | number, over: Partial<QuoteTick> = {}): QuoteTick {
  return { symbol, price, prevClose: 10, timeMs: typeof time === 'number' ? time : bj(time), ...over };
}
