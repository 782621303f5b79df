/**
 * Synthetic TDX `.lc1` files for tests that need long work (a crash in the middle of an import or
 * a backtest): a deterministic random walk of 1-minute bars, 240 a day on weekdays, in the format
 * of ../shared/data/README.md (32-byte records: u16 date, u16 minutes since midnight of the bar's
 * end, f32 open, high, low, close, f32 amount, u32 volume, u32 reserved). Test data only.
 */
import { writeFileSync } from 'node:fs';
import { mulberry32 } from './random';

/** Bar ends of a trading day: 09:31..11:30 and 13:01..15:00. */
const MINUTES = [...Array.from({ length: 120 }, (_, i) => 9 * 60 + 31 + i), ...Array.from({ length: 120 }, (_, i) => 13 * 60 + 1 + i)];

/** Writes `days` weekdays of 1-minute bars from 2005-01-03 on; returns the bar count. */
export function writeSyntheticLc1(file: string, days: number, seed: number): number {
  const random = mulberry32(seed);
  const buf = Buffer.alloc(days * MINUTES.length * 32);
  const date = new Date(Date.UTC(2005, 0, 3));
  let price = 10;
  let offset = 0;
  for (let d = 0; d < days; ) {
    const dow = date.getUTCDay();
    if (dow !== 0 && dow !== 6) {
      const y = date.getUTCFullYear();
      const code = ((y - 2004) << 11) + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
      for (const minute of MINUTES) {
        const open = price;
        // Small steps inside a day's ±10 % limit, and back toward 10 so the walk stays positive.
        price = Math.max(1, Math.round((price * (1 + (random() - 0.5) * 0.004) + (10 - price) * 0.001) * 100) / 100);
        const high = Math.max(open, price) + 0.01;
        const low = Math.max(0.01, Math.min(open, price) - 0.01);
        const volume = 1000 + Math.floor(random() * 100_000);
        buf.writeUInt16LE(code, offset);
        buf.writeUInt16LE(minute, offset + 2);
        buf.writeFloatLE(open, offset + 4);
        buf.writeFloatLE(high, offset + 8);
        buf.writeFloatLE(low, offset + 12);
        buf.writeFloatLE(price, offset + 16);
        buf.writeFloatLE(volume * price, offset + 20);
        buf.writeUInt32LE(volume, offset + 24);
        offset += 32;
      }
      d++;
    }
    date.setUTCDate(date.getUTCDate() + 1);
  }
  writeFileSync(file, buf);
  return days * MINUTES.length;
}
