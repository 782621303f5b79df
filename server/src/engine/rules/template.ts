/**
 * Message templates: text with {placeholders}, parsed once when a rule is compiled and rendered
 * only when it fires. Placeholders (docs/RULES.md, "Message templates"):
 *   {rule} {severity} {symbol} {name} {price} {change} {value} {threshold} {time}
 * An unknown placeholder, or one without a value (no {price} on an account rule), is left as
 * written, so a typo shows in the message instead of vanishing.
 */
import { beijingIso } from '../market/trading-clock';
import type { Severity, ValueUnit } from './types';

export const PLACEHOLDERS = ['rule', 'severity', 'symbol', 'name', 'price', 'change', 'value', 'threshold', 'time'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const KNOWN: ReadonlySet<string> = new Set(PLACEHOLDERS);

/** A template as literal text and placeholder names, alternating. */
export type CompiledTemplate = readonly (string | { key: Placeholder })[];

export interface TemplateValues {
  rule: string;
  severity: Severity;
  symbol?: string;
  name?: string;
  /** Yuan. */
  price?: number;
  /** The quote's change from the previous close, %. */
  changePercent?: number;
  value: number;
  threshold: number;
  unit: ValueUnit;
  /** Unix ms, shown as Beijing wall time. */
  time: number;
}

export function compileTemplate(text: string): CompiledTemplate {
  const parts: (string | { key: Placeholder })[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{([a-zA-Z]+)\}/g)) {
    if (!KNOWN.has(m[1]!)) continue;
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ key: m[1] as Placeholder });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function renderTemplate(template: CompiledTemplate, values: TemplateValues): string {
  let out = '';
  for (const part of template) out += typeof part === 'string' ? part : (formatPlaceholder(part.key, values) ?? `{${part.key}}`);
  return out;
}

function formatPlaceholder(key: Placeholder, v: TemplateValues): string | undefined {
  switch (key) {
    case 'rule':
      return v.rule;
    case 'severity':
      return v.severity;
    case 'symbol':
      return v.symbol;
    case 'name':
      return v.name ?? v.symbol;
    case 'price':
      return v.price === undefined ? undefined : formatPrice(v.price);
    case 'change':
      return v.changePercent === undefined ? undefined : `${v.changePercent > 0 ? '+' : ''}${v.changePercent.toFixed(2)}%`;
    case 'value':
      return formatValue(v.value, v.unit);
    case 'threshold':
      return formatValue(v.threshold, v.unit);
    case 'time':
      return beijingIso(v.time).slice(0, 19).replace('T', ' ');
  }
}

/** Yuan with 2 decimals, or 3 when the price has a third (fund prices tick in 0.001). */
export function formatPrice(yuan: number): string {
  const mills = Math.round(yuan * 1000);
  return mills % 10 === 0 ? (mills / 1000).toFixed(2) : (mills / 1000).toFixed(3);
}

/** Fen as yuan with thousands separators: 1234567 → ¥12,345.67 (locale-free, so deterministic). */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${whole}.${cents}`;
}

export function formatValue(value: number, unit: ValueUnit): string {
  switch (unit) {
    case 'percent':
      return `${value.toFixed(2)}%`;
    case 'fen':
      return formatFen(value);
    case 'price':
      return formatPrice(value);
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'fraction':
      return value.toFixed(4);
  }
}
