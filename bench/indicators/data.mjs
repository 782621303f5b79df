/**
 * Input data for bench:indicators: a deterministic seeded random walk of OHLCV bars and the czsc
 * 000001.XSHG 1-minute file (239,550 bars), both as Float64Array columns.
 */
import { mulberry32 } from '../lib/random.mjs';
import { unzipSingle } from '../lib/zip.mjs';

/**
 * n bars of a geometric random walk from 100: open = previous close, close = open·exp(σ·z) with z
 * standard normal (Box–Muller, σ = 0.1 %), high/low a random wick beyond max/min(open, close),
 * volume 10,000..1,010,000 whole shares. Always positive, high ≥ max(open, close), low ≤ min.
 */
export function randomWalk(n, seed) {
  const rand = mulberry32(seed);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const o = price;
    const c = o * Math.exp(0.001 * z);
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + 0.001 * rand());
    low[i] = Math.min(o, c) * (1 - 0.001 * rand());
    volume[i] = 10_000 + Math.floor(rand() * 1_000_000);
    price = c;
  }
  return { open, high, low, close, volume };
}


/**
 * The czsc 1-minute CSV inside `zipFile`: header `symbol,id,dt,freq,open,close,high,low,vol`
 * (close before high), CRLF lines, volume in shares.
 */
export function czscMinuteBars(zipFile) {
  const { name, bytes } = unzipSingle(zipFile);
  const lines = bytes.toString('utf8').split(/\r?\n/);
  const header = lines[0].split(',');
  const col = (h) => {
    const k = header.indexOf(h);
    if (k < 0) throw new Error(`${name}: no column ${h} in ${lines[0]}`);
    return k;
  };
  const [io, ic, ih, il, iv] = ['open', 'close', 'high', 'low', 'vol'].map(col);
  const rows = lines.length - 1 - (lines[lines.length - 1] === '' ? 1 : 0);
  const open = new Float64Array(rows);
  const high = new Float64Array(rows);
  const low = new Float64Array(rows);
  const close = new Float64Array(rows);
  const volume = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const f = lines[r + 1].split(',');
    open[r] = Number(f[io]);
    close[r] = Number(f[ic]);
    high[r] = Number(f[ih]);
    low[r] = Number(f[il]);
    volume[r] = Number(f[iv]);
    if (!(Number.isFinite(open[r]) && Number.isFinite(close[r]) && Number.isFinite(high[r]) && Number.isFinite(low[r]) && Number.isFinite(volume[r]))) {
      throw new Error(`${name}: bad number on line ${r + 2}: ${lines[r + 1]}`);
    }
  }
  return { name, bars: { open, high, low, close, volume } };
}
