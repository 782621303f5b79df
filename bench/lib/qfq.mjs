/**
 * The 37 stocks of ../shared/data/csv/ashare-daily-qfq imported through a served app's API, as a
 * user would (CSV import tasks), for the benches that run on them. Answers their symbols.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** `api(method, url, body)` answers the envelope's data; `waitTask(id)` the finished task. */
export async function importQfq(qfqDir, api, waitTask) {
  const symbols = [];
  for (const file of readdirSync(qfqDir).filter((f) => f.endsWith('.csv')).sort()) {
    const code = file.slice(0, 6);
    const symbol = `${code}.${code.startsWith('6') ? 'SH' : 'SZ'}`;
    symbols.push(symbol);
    const task = await api('POST', '/api/data/import/csv', {
      path: path.join(qfqDir, file),
      symbol,
      period: 'day',
      adjust: 'qfq',
      mapping: { time: 0, open: 1, close: 2, high: 3, low: 4, volume: 5 },
      dateFormat: 'YYYY-MM-DD',
      volumeUnit: 'lots',
    });
    if ((await waitTask(task.id)).state !== 'succeeded') throw new Error(`import of ${file} failed`);
  }
  return symbols;
}
