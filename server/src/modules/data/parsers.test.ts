/**
 * The importers' parsers (engine/import) against the real files in ../shared/data: exact counts,
 * first and last bars, the documented quirks, units, GBK, and bad files rejected with their line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../../engine/bars/series';
import { formatDate, formatTs, tsOf, type Period } from '../../engine/bars/time';
import { civilTs, formatDay, isValidDate } from '../../engine/import/civil';
import { checkCsvOptions, detectDelimiter, parseCsv, previewCsv, splitLine, type CsvOptions } from '../../engine/import/csv';
import { isMissing, parseNumber } from '../../engine/import/numbers';
import { ImportProblem } from '../../engine/import/problem';
import { detectDateFormat } from '../../engine/import/rows';
import { parseTdxDay, parseTdxFile, parseTdxMinute, tdxFileInfo, tdxUnits, type TdxFileInfo } from '../../engine/import/tdx-binary';
import { parseTdxExport, parseTdxExportHeader } from '../../engine/import/tdx-export';
import { sharedDataPath, skipWithoutSharedData } from '../../../../tests/helpers/shared-data';

const noData = skipWithoutSharedData('the parsers on the real TDX, TDX-export and CSV files (parsers.test.ts)');
const read = (rel: string) => readFileSync(sharedDataPath(rel));
const gbk = (rel: string) => new TextDecoder('gbk').decode(read(rel));

type Row = [string, number, number, number, number, number, number];
function row(bars: BarSeries, i: number, period: Period = 'day'): Row {
  const k = i < 0 ? bars.length + i : i;
  return [formatTs(bars.ts[k]!, period), bars.open[k]!, bars.high[k]!, bars.low[k]!, bars.close[k]!, bars.volume[k]!, bars.amount[k]!];
}

function tdx(rel: string) {
  const info = tdxFileInfo(path.basename(rel))!;
  return { info, ...parseTdxFile(read(rel), info) };
}

function problemOf(fn: () => unknown): ImportProblem {
  try {
    fn();
  } catch (err) {
    if (err instanceof ImportProblem) return err;
    throw err;
  }
  throw new Error('expected an ImportProblem');
}

function strictlyIncreasing(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (!(ts[i]! > ts[i - 1]!)) return false;
  return true;
}

describe('TDX binary files', () => {
  it('names: sh/sz/bj + code + .day/.lc1/.lc5, with the units of the instrument type', () => {
    expect(tdxFileInfo('sh600000.day')).toEqual({ symbol: '600000.SH', code: '600000', exchange: 'SH', period: 'day', priceScale: 100, volumeFactor: 1 });
    expect(tdxFileInfo('SZ000001.LC1')).toMatchObject({ symbol: '000001.SZ', period: '1m' });
    expect(tdxFileInfo('bj430047.lc5')).toMatchObject({ symbol: '430047.BJ', period: '5m' });
    expect(tdxFileInfo('sh000001.day')).toMatchObject({ volumeFactor: 100, priceScale: 100 });
    expect(tdxFileInfo('sz399001.day')).toMatchObject({ volumeFactor: 100 });
    expect(tdxFileInfo('bj899050.day')).toMatchObject({ volumeFactor: 100 });
    expect(tdxUnits('510050', 'SH')).toEqual({ priceScale: 1000, volumeFactor: 100 });
    expect(tdxUnits('159915', 'SZ')).toEqual({ priceScale: 1000, volumeFactor: 1 });
    expect(tdxUnits('113050', 'SH')).toEqual({ priceScale: 1000, volumeFactor: 10 });
    expect(tdxUnits('900901', 'SH')).toEqual({ priceScale: 1000, volumeFactor: 1 });
    for (const bad of ['sh600000.txt', 'xx600000.day', 'sh60000.day', 'sh600000.day.bak', 'ds600000.day']) expect(tdxFileInfo(bad), bad).toBeUndefined();
  });

  it.skipIf(noData)('sh600000.day: 6,119 daily bars 1999-11-10..2025-08-05, volume in shares', () => {
    const { bars, notes } = tdx('tdx/vipdoc/sh/lday/sh600000.day');
    expect(bars.length).toBe(6119);
    expect(row(bars, 0)).toEqual(['1999-11-10', 29.5, 29.8, 27, 27.75, 174_085_000, 4_859_102_208]);
    expect(row(bars, 1)).toEqual(['1999-11-11', 27.58, 28.38, 27.53, 27.71, 29_403_400, 821_582_208]);
    expect(row(bars, -1)).toEqual(['2025-08-05', 13.15, 13.78, 13.14, 13.75, 133_646_594, 1_812_400_000]);
    expect(bars.ts[0]).toBe(tsOf(1999, 11, 10));
    expect(strictlyIncreasing(bars.ts)).toBe(true);
    expect(notes.anomalies).toBe(0);
  });

  it.skipIf(noData)('sh000001.day: 8,455 index bars, volume stored in lots (×100), and the 16 out-of-order bars kept', () => {
    const { bars, notes } = tdx('tdx/vipdoc/sh/lday/sh000001.day');
    expect(bars.length).toBe(8455);
    expect(row(bars, 0)).toEqual(['1990-12-19', 96.05, 99.98, 95.79, 99.98, 126_000, 494_000]);
    expect(row(bars, -1)).toEqual(['2025-08-05', 3588.81, 3617.6, 3586.97, 3617.6, 49_979_778_000, 656_382_492_672]);
    // 1991–95: 16 bars whose open or close lies outside [low, high]; the first is record 98.
    expect(notes.anomalies).toBe(16);
    expect(notes.firstAnomalyLine).toBe(98);
    let outside = 0;
    for (let i = 0; i < bars.length; i++) {
      const [o, h, l, c] = [bars.open[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!];
      if (c > h || c < l || o > h || o < l || h < l) outside++;
    }
    expect(outside).toBe(16);
    expect(row(bars, 97)).toEqual(['1991-05-09', 109.36, 110.12, 109.31, 109.29, 225_500, 1_220_000]);
    // One of them even has high < low: kept as the exchange published it.
    const i = bars.ts.indexOf(tsOf(1992, 6, 16));
    expect(row(bars, i)).toEqual(['1992-06-16', 1171.75, 1135.6, 1164.24, 1166.7, 3_515_800, 92_530_000]);
  });

  it.skipIf(noData)('sz000001.day: 4,995 bars 2000-02-14..2021-05-14', () => {
    const { bars } = tdx('tdx/vipdoc/sz/lday/sz000001.day');
    expect(bars.length).toBe(4995);
    expect(row(bars, 0)).toEqual(['2000-02-14', 19.2, 20.38, 18.7, 20.37, 23_370_900, 460_704_992]);
    expect(row(bars, -1)).toEqual(['2021-05-14', 23.14, 23.43, 22.6, 23.32, 56_378_536, 1_300_250_880]);
  });

  it.skipIf(noData)('sh688001.lc1: 2,880 one-minute bars, stamped at the bar end (09:31..11:30, 13:01..15:00), f32 prices rounded to the fen', () => {
    const { bars, info } = tdx('tdx/vipdoc/sh/minline/sh688001.lc1');
    expect(info.period).toBe('1m');
    expect(bars.length).toBe(2880);
    expect(row(bars, 0, '1m')).toEqual(['2021-04-23 09:31', 36.71, 37.02, 36.71, 36.8, 7000, 256_647]);
    expect(row(bars, -1, '1m')).toEqual(['2021-06-03 15:00', 36.65, 36.65, 36.65, 36.65, 4500, 167_088]);
    const days = new Set<string>();
    for (let i = 0; i < bars.length; i++) {
      const t = formatTs(bars.ts[i]!, '1m').slice(11);
      expect((t >= '09:31' && t <= '11:30') || (t >= '13:01' && t <= '15:00'), t).toBe(true);
      days.add(formatDate(bars.ts[i]!));
    }
    expect(days.size).toBe(12);
    expect(strictlyIncreasing(bars.ts)).toBe(true);
  });

  it.skipIf(noData)('sh688001.lc5: 144 five-minute bars 2021-06-01 09:35..2021-06-03 15:00', () => {
    const { bars, info } = tdx('tdx/vipdoc/sh/fzline/sh688001.lc5');
    expect(info.period).toBe('5m');
    expect(bars.length).toBe(144);
    expect(row(bars, 0, '5m')).toEqual(['2021-06-01 09:35', 37.69, 37.69, 36.89, 36.93, 64_000, 2_384_077]);
    expect(row(bars, -1, '5m')).toEqual(['2021-06-03 15:00', 36.84, 36.84, 36.65, 36.65, 25_400, 933_702]);
  });

  it('an empty file has no bars', () => {
    expect(parseTdxDay(new Uint8Array(0), { priceScale: 100, volumeFactor: 1 }).bars.length).toBe(0);
  });

  it.skipIf(noData)('rejects a truncated file with the incomplete record', () => {
    const bytes = read('tdx/vipdoc/sh/lday/sh600000.day').subarray(0, 32 * 100 + 7);
    const p = problemOf(() => parseTdxDay(bytes, { priceScale: 100, volumeFactor: 1 }));
    expect(p.line).toBe(101);
    expect(p.message).toBe('the file is truncated: 3207 bytes is not a whole number of 32-byte records (record 101 has 7 bytes)');
    expect(p).toMatchObject({ code: 'fileTruncated', params: { bytes: 3207, recordBytes: 32, record: 101, rest: 7 } });
  });

  it.skipIf(noData)('rejects garbage at its first record', () => {
    let seed = 42;
    const garbage = Uint8Array.from({ length: 32 * 50 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    const info = { priceScale: 100, volumeFactor: 1 };
    expect(problemOf(() => parseTdxDay(garbage, info)).line).toBe(1);
    expect(problemOf(() => parseTdxMinute(garbage, info)).line).toBe(1);
    // A text file saved under a .day name.
    expect(problemOf(() => parseTdxDay(read('tdx-export/SH#601003.txt').subarray(0, 320), info)).line).toBe(1);
  });

  it.skipIf(noData)('rejects records out of time order, non-finite prices and bad minutes with the record number', () => {
    const day = Buffer.from(read('tdx/vipdoc/sh/lday/sh600000.day').subarray(0, 32 * 20));
    day.copy(day, 32 * 10, 32 * 5, 32 * 6); // record 11 repeats the date of record 6
    const p = problemOf(() => parseTdxDay(day, { priceScale: 100, volumeFactor: 1 }));
    expect(p.line).toBe(11);
    expect(p.message).toBe("1999-11-17 is not after the previous record's date");
    expect(p).toMatchObject({ code: 'recordDateNotAfterPrevious', params: { date: '1999-11-17' } });

    const info: Pick<TdxFileInfo, 'priceScale' | 'volumeFactor'> = { priceScale: 100, volumeFactor: 1 };
    const minute = Buffer.from(read('tdx/vipdoc/sh/minline/sh688001.lc1').subarray(0, 32 * 10));
    minute.writeFloatLE(Number.NaN, 32 * 3 + 8);
    expect(problemOf(() => parseTdxMinute(minute, info))).toMatchObject({ line: 4, code: 'priceNotFinite', params: {}, message: 'a price is not a finite number' });
    const late = Buffer.from(read('tdx/vipdoc/sh/minline/sh688001.lc1').subarray(0, 32 * 10));
    late.writeUInt16LE(1500, 32 * 2 + 2);
    expect(problemOf(() => parseTdxMinute(late, info))).toMatchObject({ line: 3, code: 'recordMinutesInvalid', params: { value: 1500 }, message: '1500 is not a time of day in minutes' });
    const amount = Buffer.from(read('tdx/vipdoc/sh/lday/sh600000.day').subarray(0, 32 * 3));
    amount.writeFloatLE(-5, 32 * 2 + 20);
    expect(problemOf(() => parseTdxDay(amount, info))).toMatchObject({ line: 3, code: 'amountInvalid', params: { value: '-5' }, message: 'the amount -5 is not a non-negative number' });
  });
});

describe('TDX export text (GBK)', () => {
  const FILES: [string, string, number, Row, Row][] = [
    ['601003', '柳钢股份', 3366, ['2007-02-27', 2.05, 2.5, 2.05, 2.22, 53_826_715, 892_730_880], ['2021-09-23', 7.57, 7.74, 7.35, 7.48, 17_796_153, 134_352_208]],
    ['601005', '重庆钢铁', 3095, ['2007-02-28', 5.2, 6.74, 5.2, 6.7, 219_859_812, 1_286_140_544], ['2021-09-23', 2.95, 3.02, 2.88, 3, 232_378_802, 688_165_248]],
    ['601006', '大秦铁路', 3664, ['2006-08-01', 0.54, 0.54, -0.35, -0.32, 614_436_357, 3_525_562_368], ['2021-09-23', 6.35, 6.44, 6.32, 6.36, 44_953_692, 286_789_792]],
    ['601007', '金陵饭店', 3504, ['2007-04-06', 5.7, 10.7, 5.7, 9.44, 68_067_778, 845_277_952], ['2021-09-23', 5.89, 5.97, 5.88, 5.93, 2_584_240, 15_299_260]],
    ['601008', '连云港', 3489, ['2007-04-26', 9.47, 9.67, 8.66, 8.86, 76_187_720, 1_123_694_080], ['2021-09-23', 4.07, 4.12, 4.02, 4.09, 18_536_108, 75_522_816]],
    ['601009', '南京银行', 3431, ['2007-07-19', 2.58, 2.77, 2.36, 2.51, 295_069_370, 5_639_407_616], ['2021-09-23', 9.1, 9.25, 9.01, 9.06, 27_654_638, 251_240_384]],
  ];

  it.skipIf(noData).each(FILES)('SH#%s.txt: %s, front-adjusted daily, %i bars, exact first and last', (code, name, count, first, last) => {
    const { header, bars, notes } = parseTdxExport(gbk(`tdx-export/SH#${code}.txt`));
    expect(header).toEqual({ code, name, period: 'day', adjust: 'qfq' });
    expect(bars.length).toBe(count);
    expect(row(bars, 0)).toEqual(first);
    expect(row(bars, -1)).toEqual(last);
    expect(strictlyIncreasing(bars.ts)).toBe(true);
    expect(notes.anomalies).toBe(0);
  });

  it.skipIf(noData)('keeps the negative front-adjusted prices of SH#601006.txt (2006-08-01 low −0.35)', () => {
    const { bars } = parseTdxExport(gbk('tdx-export/SH#601006.txt'));
    let negative = 0;
    for (let i = 0; i < bars.length; i++) if (bars.low[i]! < 0) negative++;
    expect(negative).toBeGreaterThan(0);
    expect(row(bars, 1)).toEqual(['2006-08-02', -0.3, -0.02, -0.32, -0.11, 232_650_438, 1_320_554_624]);
  });

  it.skipIf(noData)('GBK is decoded (the raw bytes are not UTF-8), and the same file already in UTF-8 reads the same', () => {
    const bytes = read('tdx-export/SH#601003.txt');
    expect(new TextDecoder('utf-8').decode(bytes)).not.toContain('柳钢股份');
    const text = gbk('tdx-export/SH#601003.txt');
    expect(text.split('\n')[0]).toBe('601003 柳钢股份 日线 前复权');
    expect(text.trimEnd().split('\n').at(-1)).toBe('数据来源:通达信');
    expect(parseTdxExport(`\ufeff${text}`).header.name).toBe('柳钢股份');
  });

  it('reads the header line variants and minute exports with a 时间 column', () => {
    expect(parseTdxExportHeader('000001 上证指数 5分钟线 不复权')).toEqual({ code: '000001', name: '上证指数', period: '5m', adjust: 'none' });
    expect(parseTdxExportHeader('600000 *ST 某某 周线 后复权')).toEqual({ code: '600000', name: '*ST 某某', period: 'week', adjust: 'hfq' });
    expect(parseTdxExportHeader('600000 浦发银行 日线')).toBeUndefined();
    expect(parseTdxExportHeader('浦发银行 600000 日线 前复权')).toBeUndefined();
    const text = [
      '688001 华兴源创 1分钟线 不复权',
      '      日期\t    时间\t    开盘\t    最高\t    最低\t    收盘\t    成交量\t    成交额',
      '2021/06/01\t0931\t37.69\t37.69\t37.50\t37.60\t12000\t451200.00',
      '2021/06/01\t0932\t37.60\t37.70\t37.55\t37.70\t8000\t301000.00',
      '数据来源:通达信',
      '',
    ].join('\r\n');
    const { header, bars } = parseTdxExport(text, () => 1);
    expect(header.period).toBe('1m');
    expect(row(bars, 0, '1m')).toEqual(['2021-06-01 09:31', 37.69, 37.69, 37.5, 37.6, 12_000, 451_200]);
    expect(row(bars, 1, '1m')[0]).toBe('2021-06-01 09:32');
    expect(parseTdxExport(text, () => 100).bars.volume[0]).toBe(1_200_000);
  });

  it('a header without rows has no bars', () => {
    const head = '601003 柳钢股份 日线 前复权\n      日期\t    开盘\t    最高\t    最低\t    收盘\t    成交量\t    成交额\n';
    expect(parseTdxExport(head).bars.length).toBe(0);
    expect(parseTdxExport(`${head}数据来源:通达信\n`).bars.length).toBe(0);
  });

  it.skipIf(noData)('rejects a wrong first line, a wrong column header and a bad row with their lines', () => {
    const lines = gbk('tdx-export/SH#601003.txt').split('\n');
    const first = problemOf(() => parseTdxExport(['日期,开盘,最高', ...lines.slice(1)].join('\n')));
    expect(first.line).toBe(1);
    expect(first.message).toBe('"日期,开盘,最高" is not the first line of a TDX export (code name period adjustment, e.g. "601003 柳钢股份 日线 前复权")');
    expect(first).toMatchObject({ code: 'exportHeaderInvalid', params: { text: '日期,开盘,最高' } });
    const second = problemOf(() => parseTdxExport([lines[0], 'date,open,high,low,close', ...lines.slice(2)].join('\n')));
    expect(second.line).toBe(2);
    expect(second.message).toMatch(/^"date,open,high,low,close" is not the column header of a TDX export/);
    expect(second).toMatchObject({ code: 'exportColumnsInvalid', params: { text: 'date,open,high,low,close' } });
    const bad = [...lines];
    bad[99] = bad[99]!.replace(/,([\d.]+),/, ',1.2.3,');
    const third = problemOf(() => parseTdxExport(bad.join('\n')));
    expect(third.line).toBe(100);
    expect(third.message).toBe('"1.2.3" in column 2 (开盘) is not a number');
    expect(third).toMatchObject({ code: 'numberInvalid', params: { value: '1.2.3', column: 2, field: 'open', label: '开盘' } });
    const missing = [...lines];
    missing[50] = missing[50]!.replace(/,([\d.]+),/, ',,');
    expect(problemOf(() => parseTdxExport(missing.join('\n')))).toMatchObject({
      line: 51,
      code: 'valueMissing',
      params: { column: 2, field: 'open', label: '开盘' },
      message: 'the value in column 2 (开盘) is missing',
    });
    const unordered = [...lines];
    [unordered[10], unordered[11]] = [unordered[11]!, unordered[10]!];
    expect(problemOf(() => parseTdxExport(unordered.join('\n')))).toMatchObject({ line: 12, code: 'timeNotAfterPrevious', message: expect.stringMatching(/^"2007\/\d\d\/\d\d" is not after the previous row's time$/) });
    const truncated = lines.slice(0, 200).join('\n').slice(0, -12);
    expect(problemOf(() => parseTdxExport(truncated)).line).toBe(200);
    expect(problemOf(() => parseTdxExport(lines[0]!))).toMatchObject({ line: 2, code: 'exportColumnsMissing', message: 'the column header line is missing' });
  });
});

const CZSC_1MIN: CsvOptions = {
  mapping: { time: 1, open: 2, close: 3, high: 4, low: 5, volume: 6 },
  delimiter: ',',
  headerRows: 1,
  dateFormat: 'YYYY-MM-DD HH:mm:ss',
  period: '1m',
  volumeUnit: 'shares',
  amountUnit: 'yuan',
};

describe('generic CSV', () => {
  it.skipIf(noData)('czsc 000001.XSHG_1MIN.csv: 2,640 one-minute bars with `symbol,dt,open,close,high,low,vol`', () => {
    const { bars, notes } = parseCsv(read('csv/czsc/000001.XSHG_1MIN.csv').toString('utf8'), CZSC_1MIN);
    expect(bars.length).toBe(2640);
    expect(row(bars, 0, '1m')).toEqual(['2020-07-01 09:31', 2991.18, 2991.5, 2990.34, 2990.43, 720_858_300, 0]);
    expect(row(bars, -1, '1m')).toEqual(['2020-07-15 15:00', 3362.09, 3362.09, 3361.3, 3361.3, 520_799_400, 0]);
    expect(notes).toEqual({ anomalies: 0, skipped: 0 });
  });

  it.skipIf(noData)('czsc daily rows stamped 15:00:00 become day bars at 00:00', () => {
    const { bars } = parseCsv(read('csv/czsc/000001.SH_D.csv').toString('utf8'), { ...CZSC_1MIN, period: 'day' });
    expect(bars.length).toBe(3332);
    expect(bars.ts[0]).toBe(tsOf(2006, 11, 6));
    expect(row(bars, 0)).toEqual(['2006-11-06', 1853.19, 1886.52, 1846.01, 1886.31, 49_544_517, 0]);
  });

  it.skipIf(noData)('volume in lots ×100 and amount in 万元 ×10,000 (ashare-daily-qfq: close before high)', () => {
    const text = read('csv/ashare-daily-qfq/600000.csv').toString('utf8');
    const options: CsvOptions = { ...CZSC_1MIN, mapping: { time: 0, open: 1, close: 2, high: 3, low: 4, volume: 5, amount: 5 }, dateFormat: 'YYYY-MM-DD', period: 'day', volumeUnit: 'lots', amountUnit: 'wan' };
    expect(checkCsvOptions(options)).toEqual({
      field: 'mapping.amount',
      code: 'csvColumnMappedTwice',
      params: { column: 6, field: 'amount', other: 'volume' },
      message: 'column 6 is mapped to both volume and amount',
    });
    const { bars } = parseCsv(text, { ...options, mapping: { time: 0, open: 1, close: 2, high: 3, low: 4, volume: 5 } });
    expect(bars.length).toBe(1395);
    expect(row(bars, 0).slice(0, 5)).toEqual(['2020-01-02', 9.55, 9.68, 9.54, 9.55]);
    expect(bars.volume[0]).toBeCloseTo(516_290.79 * 100, 4);
    const wan = parseCsv('date,open,high,low,close,amount\n2020-01-02,1,2,0.5,1.5,12.5\n', { ...options, mapping: { time: 0, open: 1, high: 2, low: 3, close: 4, amount: 5 } });
    expect(wan.bars.amount[0]).toBe(125_000);
  });

  it.skipIf(noData)('NetEase 399986.csv (GBK, newest first): sorted, and the 2013–14 rows with `None` skipped and counted', () => {
    const text = gbk('csv/netease-index/399986.csv');
    const preview = previewCsv(text, 5);
    expect(preview.mapping).toEqual({ time: 0, open: 6, high: 4, low: 5, close: 3, volume: 10, amount: 11 });
    const { bars, notes } = parseCsv(text, { ...CZSC_1MIN, mapping: preview.mapping!, dateFormat: 'YYYY-MM-DD', period: 'day' });
    expect(notes.skipped).toBe(358);
    expect(notes.firstSkippedLine).toBe(1412);
    expect(bars.length).toBe(3477);
    expect(strictlyIncreasing(bars.ts)).toBe(true);
    expect(row(bars, 0)).toEqual(['2005-01-04', 996.148, 996.148, 979.982, 984.919, 29_601_098, 198_294_920]);
    expect(row(bars, -1)).toEqual(['2020-10-16', 6207.3535, 6368.2577, 6207.2744, 6319.4107, 3_565_481_259, 30_014_016_364]);
  });

  it.skipIf(noData)('NetEase 000300.csv: scientific notation amounts, and the CSI 300 pre-2005 flat zero-volume back-fill imported as is', () => {
    const text = gbk('csv/netease-index/000300.csv');
    const preview = previewCsv(text, 3);
    expect(preview.mapping).toMatchObject({ time: 0, close: 3, high: 4, low: 5, open: 6, volume: 11, amount: 12 });
    const { bars } = parseCsv(text, { ...CZSC_1MIN, mapping: preview.mapping!, dateFormat: 'YYYY-MM-DD', period: 'day' });
    expect(row(bars, -1)).toEqual(['2020-10-16', 4798.9162, 4825.5518, 4765.967, 4791.676, 116_716_102, 204_175_130_718]);
    expect(bars.volume[0]).toBe(0);
    expect(bars.open[0]).toBe(bars.close[0]);
  });

  it('rows out of order are sorted; two rows with the same time are rejected', () => {
    const head = 'date,open,high,low,close\n';
    const { bars } = parseCsv(`${head}2020-01-03,2,2,2,2\n2020-01-01,1,1,1,1\n2020-01-02,3,3,3,3\n`, { ...CZSC_1MIN, mapping: { time: 0, open: 1, high: 2, low: 3, close: 4 }, dateFormat: 'YYYY-MM-DD', period: 'day' });
    expect([...bars.close]).toEqual([1, 3, 2]);
    const dup = problemOf(() =>
      parseCsv(`${head}2020-01-03,2,2,2,2\n2020-01-01,1,1,1,1\n2020-01-03,3,3,3,3\n`, { ...CZSC_1MIN, mapping: { time: 0, open: 1, high: 2, low: 3, close: 4 }, dateFormat: 'YYYY-MM-DD', period: 'day' }),
    );
    expect(dup).toMatchObject({ line: 4, code: 'duplicateTime', params: { firstLine: 2 }, message: 'the row has the same time as line 2' });
  });

  it.skipIf(noData)('rejects the whole file at a bad row in the middle, with its line', () => {
    const lines = read('csv/czsc/000001.XSHG_1MIN.csv').toString('utf8').split('\n');
    const cases: [number, (l: string) => string, RegExp, string, Record<string, unknown>][] = [
      [1200, (l) => l.split(',').map((f, i) => (i === 2 ? 'abc' : f)).join(','), /^"abc" in column 3 \(open\) is not a number$/, 'numberInvalid', { value: 'abc', column: 3, field: 'open' }],
      [1300, (l) => l.split(',').slice(0, 4).join(','), /^the row has 4 columns; 7 are needed$/, 'rowTooShort', { fields: 4, width: 7 }],
      [
        1400,
        (l) => l.replace(/:(\d\d):00/, ':$1:30'),
        /^"2020-07-\d\d \d\d:\d\d:30" in column 2 \(time\) is not a YYYY-MM-DD HH:mm:ss time \(minute bars need whole minutes\)$/,
        'minuteTimeInvalid',
        { column: 2, field: 'time', format: 'YYYY-MM-DD HH:mm:ss' },
      ],
      [1500, (l) => l.replace('2020-07', '2020-13'), /^"2020-13-\d\d [\d:]+" in column 2 \(time\) is not a YYYY-MM-DD HH:mm:ss time$/, 'timeInvalid', { column: 2, format: 'YYYY-MM-DD HH:mm:ss' }],
      [
        1600,
        (l) => { const f = l.split(','); [f[4], f[5]] = [f[5]!, f[4]!]; f[4] = String(Number(f[5]) - 1); return f.join(','); },
        /^the high [\d.]+ is below the low [\d.]+ \(check the column mapping\)$/,
        'highBelowLow',
        {},
      ],
      [1700, (l) => l.replace(/,(\d+\.0)$/, ',-5'), /^the volume -5 is negative$/, 'volumeNegative', { value: -5 }],
    ];
    for (const [at, change, message, code, params] of cases) {
      const bad = [...lines];
      bad[at - 1] = change(bad[at - 1]!);
      expect(bad[at - 1], String(message)).not.toBe(lines[at - 1]);
      const p = problemOf(() => parseCsv(bad.join('\n'), CZSC_1MIN));
      expect(p.line, String(message)).toBe(at);
      expect(p.message).toMatch(message);
      expect(p, code).toMatchObject({ code, params });
    }
  });

  it('rejects files without usable rows and options that cannot work', () => {
    expect(problemOf(() => parseCsv('date,open,high,low,close\n', { ...CZSC_1MIN, period: 'day', dateFormat: 'YYYY-MM-DD' }))).toMatchObject({
      code: 'noDataRows',
      params: { headerRows: 1 },
      message: 'no data rows after 1 header row',
    });
    expect(problemOf(() => parseCsv('a\nb\n', { ...CZSC_1MIN, headerRows: 2, period: 'day', dateFormat: 'YYYY-MM-DD' })).message).toBe('no data rows after 2 header rows');
    const allMissing = problemOf(() => parseCsv('h\n2020-01-02,None,1,1,1\n2020-01-03,-,1,1,1\n', { ...CZSC_1MIN, mapping: { time: 0, open: 1, high: 2, low: 3, close: 4 }, period: 'day', dateFormat: 'YYYY-MM-DD' }));
    expect(allMissing).toMatchObject({ line: 2, code: 'allRowsMissing', params: { rows: 2 } });
    expect(allMissing.message).toBe('every one of the 2 rows has a missing value (None, empty or -); check the mapping');
    expect(checkCsvOptions({ ...CZSC_1MIN, dateFormat: 'YYYY-MM-DD' })).toEqual({
      field: 'dateFormat',
      code: 'csvDateFormatNoClock',
      params: { format: 'YYYY-MM-DD' },
      message: 'minute bars need a time of day; YYYY-MM-DD has none',
    });
    expect(checkCsvOptions({ ...CZSC_1MIN, delimiter: ';;' })).toMatchObject({ field: 'delimiter', code: 'csvDelimiterInvalid', params: { value: ';;' }, message: 'the delimiter ";;" is not one character' });
    expect(problemOf(() => parseCsv('x', { ...CZSC_1MIN, dateFormat: 'YYYY-MM-DD' }))).toMatchObject({
      code: 'csvDateFormatNoClock',
      params: { format: 'YYYY-MM-DD' },
      message: 'minute bars need a time of day; YYYY-MM-DD has none',
    });
  });

  it('quoted fields, other delimiters, compact and slash dates with one-digit parts, a BOM and CRLF', () => {
    const options: CsvOptions = { ...CZSC_1MIN, mapping: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 }, period: 'day' };
    const a = parseCsv('\ufeff"date";"open";"high";"low";"close";"vol"\r\n"20200102";"1.5";"2";"1";"1.8";"1000"\r\n', { ...options, delimiter: ';', dateFormat: 'YYYYMMDD' });
    expect(row(a.bars, 0)).toEqual(['2020-01-02', 1.5, 2, 1, 1.8, 1000, 0]);
    const b = parseCsv('2020/1/5 9:31\t1\t2\t0.5\t1.5\t7\n', { ...options, delimiter: '\t', headerRows: 0, dateFormat: 'YYYY/MM/DD HH:mm', period: '1m' });
    expect(row(b.bars, 0, '1m')).toEqual(['2020-01-05 09:31', 1, 2, 0.5, 1.5, 7, 0]);
    const c = parseCsv('2020-01-05T09:31:00|1|2|0.5|1.5|7\n', { ...options, delimiter: '|', headerRows: 0, dateFormat: 'YYYY-MM-DD HH:mm:ss', period: '5m' });
    expect(row(c.bars, 0, '5m')[0]).toBe('2020-01-05 09:31');
  });
});

describe('CSV preview', () => {
  it.skipIf(noData)('splits the first rows and guesses the mapping, header rows and time format', () => {
    const czsc = previewCsv(read('csv/czsc/000001.XSHG_1MIN.csv').toString('utf8'), 4);
    expect(czsc.delimiter).toBe(',');
    expect(czsc.rows).toHaveLength(4);
    expect(czsc.rows[0]).toEqual(['symbol', 'dt', 'open', 'close', 'high', 'low', 'vol']);
    expect(czsc.columns).toBe(7);
    expect(czsc.mapping).toEqual({ time: 1, open: 2, close: 3, high: 4, low: 5, volume: 6 });
    expect(czsc.headerRows).toBe(1);
    expect(czsc.dateFormat).toBe('YYYY-MM-DD HH:mm:ss');
    const bare = previewCsv('20200102\t1\t2\t3\t4\n20200103\t1\t2\t3\t4\n', 10);
    expect(bare).toMatchObject({ delimiter: '\t', headerRows: 0, dateFormat: 'YYYYMMDD' });
    expect(bare.mapping).toBeUndefined();
  });

  it('helpers: delimiters, quoted fields, date formats, numbers, missing markers, calendar', () => {
    expect(detectDelimiter(['a;b;c', '1;2;3'])).toBe(';');
    expect(detectDelimiter(['a|b', '1|2'])).toBe('|');
    expect(detectDelimiter([''])).toBe(',');
    expect(splitLine('"a,b","say ""hi""",c\r', ',')).toEqual(['a,b', 'say "hi"', 'c']);
    expect(splitLine('"a"x,', ',')).toEqual(['ax', '']);
    expect(detectDateFormat('2020-01-02')).toBe('YYYY-MM-DD');
    expect(detectDateFormat('2020/01/02 09:31')).toBe('YYYY/MM/DD HH:mm');
    expect(detectDateFormat('2020/01/02 09:31:00')).toBe('YYYY/MM/DD HH:mm:ss');
    expect(detectDateFormat('2020-02-30')).toBeUndefined();
    expect(detectDateFormat('hello')).toBeUndefined();
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const s = (rand() * 10 ** Math.floor(rand() * 12) * (rand() < 0.2 ? -1 : 1)).toFixed(Math.floor(rand() * 6));
      expect(parseNumber(s, 0, s.length), s).toBe(Number(s));
    }
    for (const s of ['1e5', '2.04175130718e+11', '.5', '+3', ' 42 ', '"7.25"', '12345678901234567.5']) expect(parseNumber(s, 0, s.length), s).toBe(Number(s.replace(/"/g, '')));
    for (const s of ['', 'abc', '1.2.3', '1e', '-', '0x10', 'Infinity', '1,5']) expect(parseNumber(s, 0, s.length), s).toBeNaN();
    for (const s of ['None', '', ' - ', '--', 'NaN', 'null', 'N/A']) expect(isMissing(s, 0, s.length), s).toBe(true);
    for (const s of ['0', 'abc', 'Nonexistent']) expect(isMissing(s, 0, s.length), s).toBe(false);
    for (let i = 0; i < 500; i++) {
      const y = 1901 + Math.floor(rand() * 250);
      const m = 1 + Math.floor(rand() * 12);
      const d = 1 + Math.floor(rand() * 28);
      expect(civilTs(y, m, d, 13, 7)).toBe(tsOf(y, m, d, 13, 7));
      expect(formatDay(civilTs(y, m, d) / 86_400)).toBe(formatDate(tsOf(y, m, d)));
    }
    expect(isValidDate(2000, 2, 29)).toBe(true);
    expect(isValidDate(1900, 2, 29)).toBe(false);
    expect(isValidDate(2024, 4, 31)).toBe(false);
  });
});
