/**
 * Number fields of text files, read straight from the string (no substring per field on the
 * common path). `parseNumber` gives the same double as `Number()` for plain decimals.
 */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const isBlank = (c: number) => c === 32 || c === 9 || c === 34; // space, tab, double quote

/** Start of text[start, end) without leading blanks and quotes. */
export function trimStart(text: string, start: number, end: number): number {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  return start;
}

/** End of text[start, end) without trailing blanks, quotes and a carriage return. */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (!isBlank(c) && c !== 13) break;
    end--;
  }
  return end;
}

/**
 * The decimal number in text[start, end) (surrounding blanks and quotes ignored); NaN when the
 * field is not a number. Plain decimals with up to 15 digits take the fast path: an integer
 * mantissa divided by an exact power of ten, which rounds exactly like `Number()`.
 */
export function parseNumber(text: string, start: number, end: number): number {
  const s = trimStart(text, start, end);
  const e = trimEnd(text, s, end);
  if (s >= e) return NaN;
  let i = s;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  for (; i < e; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (i === e && digits > 0 && digits <= 15) {
    const v = scale === 0 ? mantissa : mantissa / POW10[scale]!;
    return negative ? -v : v;
  }
  const raw = text.slice(s, e);
  if (!NUMBER.test(raw)) return NaN;
  const v = Number(raw);
  return Number.isFinite(v) ? v : NaN;
}

const MISSING = new Set(['', 'none', 'null', 'nan', 'n/a', 'na', '-', '--', '—']);

/** True for the markers sources write for "no value": empty, None, null, NaN, N/A, -, --. */
export function isMissing(text: string, start: number, end: number): boolean {
  const s = trimStart(text, start, end);
  const e = trimEnd(text, s, end);
  if (e - s > 4) return false;
  return MISSING.has(text.slice(s, e).toLowerCase());
}
