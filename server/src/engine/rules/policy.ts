/**
 * The trigger policy: whether a rule whose condition holds may fire now (docs/RULES.md, "Trigger
 * policy"). Conditions are levels, not edges (a loss beyond 5 % holds on every quote while it
 * lasts), so the frequency is what turns them into a sensible stream of alerts. State is per rule
 * and per symbol: a watchlist rule fires once for each of its symbols, not once in all.
 */
import type { BarPeriod, RuleDefinition, TriggerFrequency } from './types';

export interface FireState {
  /** Whether it has fired since it was armed (once). */
  fired: boolean;
  /** The book's clock at the last fire, Unix ms (every); -Infinity: never. */
  lastFireMs: number;
  /** The bar bucket of the last fire (once-per-bar); NaN: never. */
  lastBucket: number;
}

export function armedState(): FireState {
  return { fired: false, lastFireMs: -Infinity, lastBucket: NaN };
}

/** Enabled and not expired at `now`. */
export function isActive(rule: Pick<RuleDefinition, 'enabled' | 'expiresAt'>, now: number): boolean {
  return rule.enabled && (rule.expiresAt == null || now < rule.expiresAt);
}

const MINUTE_MS = 60_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const BUCKET_MINUTES: Record<Exclude<BarPeriod, '60m' | 'day'>, number> = { '1m': 1, '5m': 5, '15m': 15, '30m': 30 };

/**
 * The bar bucket of a market time: Beijing days for `day`; clock-aligned minute buckets (…:00,
 * :05, …) for 1m–30m, which is where A-share minute bars fall; for 60m the exchange's four hour
 * bars, which follow the sessions (from 09:30, 10:30, 13:00, 14:00; the 11:30 and 15:00 prints
 * belong to the hour before), not the clock.
 */
export function barBucket(period: BarPeriod, eventMs: number): number {
  const wallMinutes = Math.floor((eventMs + BEIJING_OFFSET_MS) / MINUTE_MS);
  if (period === 'day') return Math.floor(wallMinutes / 1440);
  if (period !== '60m') return Math.floor(wallMinutes / BUCKET_MINUTES[period]);
  const day = Math.floor(wallMinutes / 1440);
  const minute = wallMinutes - day * 1440;
  const clamp = (h: number) => Math.max(0, Math.min(1, h));
  // Before 13:00 (the call auction, the 11:30 closing prints, the break) it is a morning hour.
  const hour = minute < 780 ? clamp(Math.floor((minute - 570) / 60)) : 2 + clamp(Math.floor((minute - 780) / 60));
  return day * 4 + hour;
}

/** Whether the frequency lets the rule fire at `now` for an event at `eventMs`. */
export function mayFire(frequency: TriggerFrequency, state: FireState, now: number, eventMs: number): boolean {
  switch (frequency.mode) {
    case 'once':
      return !state.fired;
    case 'once-per-bar':
      return barBucket(frequency.bar, eventMs) !== state.lastBucket;
    case 'every':
      return now - state.lastFireMs >= frequency.cooldownSeconds * 1000;
  }
}

export function recordFire(frequency: TriggerFrequency, state: FireState, now: number, eventMs: number): void {
  state.fired = true;
  state.lastFireMs = now;
  if (frequency.mode === 'once-per-bar') state.lastBucket = barBucket(frequency.bar, eventMs);
}
