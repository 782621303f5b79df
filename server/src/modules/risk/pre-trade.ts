/**
 * Pre-trade rules (contracts/risk.yaml, docs/RULES.md "Pre-trade rules"): rules of `risk_rules`
 * that raise no alert and sit in no rule book; the trading module asks them before it accepts a
 * paper order (its `preTradeCheck` dependency, wired in app.ts), and the first enabled, unexpired
 * rule of the account that the order breaks refuses it — 4401 EXCEED_POSITION_LIMIT, a detail
 * naming the rule (name and id), the value and the limit. Pure apart from the rules it is given.
 */
import { compileTemplate, formatFen, renderTemplate } from '../../engine/rules';
import { AppError } from '../../platform/errors';
import type { PreTradeAccountState, PreTradeOrder } from '../trading/pre-trade';
import type { CheckedInput } from './definition';

export const PRE_TRADE_KINDS = ['max-order-value', 'max-position-weight', 'max-daily-orders', 'no-duplicate-order', 'max-active-orders'] as const;
export type PreTradeKind = (typeof PRE_TRADE_KINDS)[number];
const KINDS: ReadonlySet<string> = new Set(PRE_TRADE_KINDS);

export const isPreTrade = (kind: string): kind is PreTradeKind => KINDS.has(kind);

export interface PreTradeRule {
  id: string;
  input: CheckedInput;
}

/** A breach: the value and the limit as numbers and as shown. */
interface Breach {
  field: string;
  /** What is measured, e.g. "order value". */
  what: string;
  value: number;
  limit: number;
  shown: { value: string; limit: string };
  /** 4402 for a price rule; every rule of today is a limit (4401). */
  code: 'EXCEED_POSITION_LIMIT' | 'PRICE_LIMIT_EXCEEDED';
}

const yuan = (fen: number): string => formatFen(fen).replace('¥', '');
const percent = (p: number): string => `${p.toFixed(2)}%`;
const sameOrder = (o: { symbol: string; side: string; type: string; quantity: number; limitPrice?: number }, order: PreTradeOrder): boolean =>
  o.symbol === order.symbol && o.side === order.side && o.type === order.type && o.quantity === order.quantity && (o.limitPrice ?? null) === (order.limitPrice ?? null);

/** The breach of one rule by the order, or undefined when the rule lets it through. */
export function breachOf(input: CheckedInput, order: PreTradeOrder, state: PreTradeAccountState): Breach | undefined {
  const c = input.condition;
  switch (c.kind) {
    case 'max-order-value': {
      if (order.priceFen === undefined) return undefined; // a market order before any quote: nothing to value it at
      const valueFen = order.priceFen * order.quantity;
      const limitFen = Math.round(c.maxValue! * 100);
      if (valueFen <= limitFen) return undefined;
      return { field: 'body.quantity', what: 'order value', value: valueFen / 100, limit: limitFen / 100, shown: { value: yuan(valueFen), limit: yuan(limitFen) }, code: 'EXCEED_POSITION_LIMIT' };
    }
    case 'max-position-weight': {
      // A sell only lowers the weight; a buy turns cash into the position (equity unchanged, fees aside).
      if (order.side !== 'buy' || order.priceFen === undefined || state.equityFen <= 0) return undefined;
      const held = state.positions.find((p) => p.symbol === order.symbol)?.valueFen ?? 0;
      const weight = ((held + order.priceFen * order.quantity) / state.equityFen) * 100;
      const limit = c.thresholdPercent!;
      if (weight <= limit + 1e-9) return undefined;
      return { field: 'body.quantity', what: `${order.symbol} weight after the order`, value: weight, limit, shown: { value: percent(weight), limit: percent(limit) }, code: 'EXCEED_POSITION_LIMIT' };
    }
    case 'max-daily-orders': {
      const count = countOf(state.dayOrders, input) + 1;
      if (count <= c.maxCount!) return undefined;
      return { field: 'body', what: "orders on the account's trading day", value: count, limit: c.maxCount!, shown: { value: String(count), limit: String(c.maxCount) }, code: 'EXCEED_POSITION_LIMIT' };
    }
    case 'max-active-orders': {
      const count = countOf(state.dayOrders.filter((o) => o.status === 'open'), input) + 1;
      if (count <= c.maxCount!) return undefined;
      return { field: 'body', what: 'open orders', value: count, limit: c.maxCount!, shown: { value: String(count), limit: String(c.maxCount) }, code: 'EXCEED_POSITION_LIMIT' };
    }
    case 'no-duplicate-order': {
      const windowMs = (c.windowSeconds ?? 0) * 1000;
      const twin = state.dayOrders.find((o) => sameOrder(o, order) && (o.status === 'open' || (windowMs > 0 && state.nowMs - Date.parse(o.createdAt) < windowMs)));
      if (!twin) return undefined;
      const seconds = Math.max(0, Math.round((state.nowMs - Date.parse(twin.createdAt)) / 1000));
      const what = twin.status === 'open' ? `duplicate of open order ${twin.id}` : `duplicate of order ${twin.id} placed ${seconds} s ago`;
      return {
        field: 'body',
        what,
        value: seconds,
        limit: c.windowSeconds ?? 0,
        shown: { value: `${seconds} s`, limit: twin.status === 'open' ? 'an open order' : `${c.windowSeconds} s` },
        code: 'EXCEED_POSITION_LIMIT',
      };
    }
    default:
      return undefined;
  }
}

/** Orders a rule counts: all of the account's, or its symbol's for a symbol scope. */
function countOf(orders: readonly { symbol: string }[], input: CheckedInput): number {
  const symbol = input.scope.type === 'symbol' ? input.scope.symbol : undefined;
  return symbol === undefined ? orders.length : orders.filter((o) => o.symbol === symbol).length;
}

/** Whether a rule speaks to this order of this account now. */
export function applies(rule: PreTradeRule, accountId: number, order: PreTradeOrder, nowMs: number): boolean {
  const { input } = rule;
  if (!isPreTrade(input.condition.kind) || !input.enabled || input.scope.accountId !== accountId) return false;
  if (input.expiresAt != null && nowMs >= Date.parse(input.expiresAt)) return false;
  return input.scope.type !== 'symbol' || input.scope.symbol === order.symbol;
}

/** Throws the refusal of the first rule (in the order given) the order breaks. */
export function checkPreTrade(rules: Iterable<PreTradeRule>, accountId: number, order: PreTradeOrder, state: PreTradeAccountState): void {
  for (const rule of rules) {
    if (!applies(rule, accountId, order, state.nowMs)) continue;
    const breach = breachOf(rule.input, order, state);
    if (!breach) continue;
    throw new AppError(breach.code, [{ field: breach.field, message: `rule "${rule.input.name}" (${rule.id}): ${describe(rule, order, breach, state.nowMs)}` }]);
  }
}

/** The rule's message template, or `<what> <value> > <limit>`. */
function describe(rule: PreTradeRule, order: PreTradeOrder, b: Breach, nowMs: number): string {
  const text = rule.input.message;
  const comparison = b.what.startsWith('duplicate') ? b.what : `${b.what} ${b.shown.value} > ${b.shown.limit}`;
  if (text === undefined) return comparison;
  let out = '';
  const values = {
    rule: rule.input.name,
    severity: rule.input.severity,
    symbol: order.symbol,
    ...(order.priceFen !== undefined ? { price: order.priceFen / 100 } : {}),
    value: b.value,
    threshold: b.limit,
    unit: 'fraction' as const,
    time: nowMs,
  };
  for (const part of compileTemplate(text)) {
    if (typeof part !== 'string' && part.key === 'value') out += b.shown.value;
    else if (typeof part !== 'string' && part.key === 'threshold') out += b.shown.limit;
    else out += renderTemplate([part], values);
  }
  return out;
}
