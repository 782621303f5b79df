/** Tolerant parsing helpers shared by the adapters: JSONP, `-` for missing numbers, dates. */
import { ProviderError } from './errors';
import type { ProviderId } from './types';

/** The JSON inside `callback({...});` (or the text itself when it is plain JSON). */
export function unwrapJsonp(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;
  const open = trimmed.indexOf('(');
  const close = trimmed.lastIndexOf(')');
  if (open < 0 || close <= open) return trimmed;
  return trimmed.slice(open + 1, close);
}

export function parseJson(provider: ProviderId, text: string): unknown {
  try {
    return JSON.parse(unwrapJsonp(text));
  } catch (err) {
    throw new ProviderError(provider, 'parse', `not JSON: ${text.slice(0, 80)}`, undefined, { cause: err });
  }
}

/** A finite number, or undefined for `-`, '', null, NaN and the like. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  if (t === '' || t === '-' || t === '--') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A positive number (prices, volumes): undefined for 0 and missing values. */
export function positive(value: unknown): number | undefined {
  const n = num(value);
  return n !== undefined && n > 0 ? n : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `YYYY-MM-DD` + `HH:MM:SS` (Beijing) → ISO with +08:00; undefined when malformed. */
export function isoBeijing(date: string, time: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}(:\d{2})?$/.test(time)) return undefined;
  return `${date}T${time.length === 5 ? `${time}:00` : time}+08:00`;
}

/** `YYYYMMDDhhmmss` → ISO with +08:00. */
export function isoFromCompact(text: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00` : undefined;
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Quotes for `symbols` fetched in batches of at most `size` provider codes; answers in the order
 * asked, leaving out symbols the provider did not return.
 */
export async function quotesInBatches<Q extends { symbol: string }>(
  symbols: readonly string[],
  size: number,
  toCode: (symbol: string) => string | undefined,
  fetchBatch: (codes: string[]) => Promise<Q[]>,
): Promise<Q[]> {
  const found = new Map<string, Q>();
  for (const batch of chunks(symbols.flatMap((s) => toCode(s) ?? []), size)) {
    for (const q of await fetchBatch(batch)) found.set(q.symbol, q);
  }
  return symbols.flatMap((s) => found.get(s) ?? []);
}
