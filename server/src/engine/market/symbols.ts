/**
 * Symbols as `CODE.EXCHANGE` (600000.SH) and what the code says about an instrument: its kind and
 * board. Exchange code ranges as published by SSE, SZSE and BSE.
 */
export type Exchange = 'SH' | 'SZ' | 'BJ';
export type InstrumentKind = 'stock' | 'index' | 'fund' | 'bond' | 'other';
export type Board = 'main' | 'chinext' | 'star' | 'bse' | 'index' | 'fund' | 'bond' | 'other';

const SYMBOL = /^(\d{6})\.(SH|SZ|BJ)$/;

export function parseSymbol(symbol: string): { code: string; exchange: Exchange } | undefined {
  const m = SYMBOL.exec(symbol);
  return m ? { code: m[1]!, exchange: m[2] as Exchange } : undefined;
}

export function toSymbol(code: string, exchange: Exchange): string {
  return `${code}.${exchange}`;
}

/** TDX file prefixes (sh600000.day) and provider prefixes (sh/sz/bj) map straight to exchanges. */
export function exchangeFromPrefix(prefix: string): Exchange | undefined {
  const p = prefix.toLowerCase();
  return p === 'sh' ? 'SH' : p === 'sz' ? 'SZ' : p === 'bj' ? 'BJ' : undefined;
}

export function classify(code: string, exchange: Exchange): { kind: InstrumentKind; board: Board } {
  const c2 = code.slice(0, 2);
  const c3 = code.slice(0, 3);
  if (exchange === 'SH') {
    if (c3 === '688' || c3 === '689') return { kind: 'stock', board: 'star' };
    if (c2 === '60') return { kind: 'stock', board: 'main' };
    if (c3 === '000' || c3 === '880' || c3 === '999') return { kind: 'index', board: 'index' };
    if (code.startsWith('5')) return { kind: 'fund', board: 'fund' };
    if (c3 === '110' || c3 === '111' || c3 === '113' || c3 === '118' || c2 === '01' || c2 === '02') return { kind: 'bond', board: 'bond' };
    return { kind: 'other', board: 'other' };
  }
  if (exchange === 'SZ') {
    if (c3 === '300' || c3 === '301') return { kind: 'stock', board: 'chinext' };
    if (c2 === '00') return { kind: 'stock', board: 'main' };
    if (c3 === '399') return { kind: 'index', board: 'index' };
    if (c2 === '15' || c2 === '16' || c2 === '18') return { kind: 'fund', board: 'fund' };
    if (c2 === '12' || c2 === '10' || c2 === '11') return { kind: 'bond', board: 'bond' };
    return { kind: 'other', board: 'other' };
  }
  if (c3 === '899') return { kind: 'index', board: 'index' };
  if (c2 === '43' || c2 === '83' || c2 === '87' || c2 === '92') return { kind: 'stock', board: 'bse' };
  return { kind: 'other', board: 'other' };
}

/** ST and *ST names mark special treatment (5 % price limits on the main board). */
export function isSpecialTreatment(name: string): boolean {
  return /^\*?S?\*?ST/i.test(name.trim());
}
