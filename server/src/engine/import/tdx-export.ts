/**
 * TDX (通达信) "export" text files (数据导出), already decoded from GBK:
 *
 *   601003 柳钢股份 日线 前复权                          ← code, name, period, adjustment
 *         日期	    开盘	    最高	    最低	    收盘	    成交量	    成交额   ← column header
 *   2007/02/27,2.05,2.50,2.05,2.22,53826715,892730880.00   ← rows (minute exports add a 时间 column: 0935)
 *   数据来源:通达信                                      ← footer
 *
 * Volume is what TDX stores (shares; lots of 100 for indices, as in .day files: same rule), amount
 * in CNY. Front-adjusted prices may be negative (SH#601006.txt) and are kept; rows must be in
 * time order. Prices out of order are kept and counted, like in the binary files.
 */
import type { Period } from '../bars/time';
import { ImportProblem } from './problem';
import { detectDateFormat, readRows, WHITESPACE } from './rows';
import type { ParsedBars } from './tdx-binary';

export type Adjust = 'none' | 'qfq' | 'hfq';

export interface TdxExportHeader {
  code: string;
  name: string;
  period: Period;
  adjust: Adjust;
}

const PERIODS: Record<string, Period> = {
  日线: 'day',
  周线: 'week',
  月线: 'month',
  '1分钟线': '1m',
  分钟线: '1m',
  '5分钟线': '5m',
  '15分钟线': '15m',
  '30分钟线': '30m',
  '60分钟线': '60m',
};
const ADJUSTS: Record<string, Adjust> = { 不复权: 'none', 前复权: 'qfq', 后复权: 'hfq' };

const COLUMN_NAMES = { time: '日期', clock: '时间', open: '开盘', high: '最高', low: '最低', close: '收盘', volume: '成交量', amount: '成交额' } as const;

/** Line 1: `601003 柳钢股份 日线 前复权` (the name may contain spaces). */
export function parseTdxExportHeader(line: string): TdxExportHeader | undefined {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 4 || !/^\d{6}$/.test(parts[0]!)) return undefined;
  const adjust = ADJUSTS[parts[parts.length - 1]!];
  const period = PERIODS[parts[parts.length - 2]!];
  if (!adjust || !period) return undefined;
  return { code: parts[0]!, name: parts.slice(1, -2).join(' '), period, adjust };
}

const FOOTER = '数据来源';
const isFooter = (text: string, start: number, end: number) => text.startsWith(FOOTER, start) || text.slice(start, end).trim().startsWith(FOOTER);

/**
 * Parses a decoded export file. `volumeFactor` turns the stored volume into shares (100 for
 * indices, see tdxUnits).
 */
export function parseTdxExport(text: string, volumeFactor: (header: TdxExportHeader) => number = () => 1): ParsedBars & { header: TdxExportHeader } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end1 = text.indexOf('\n');
  const line1 = end1 === -1 ? text : text.slice(0, end1);
  const header = parseTdxExportHeader(line1);
  if (!header) {
    throw new ImportProblem('exportHeaderInvalid', { text: line1.trim().slice(0, 60) }, 1);
  }
  if (end1 === -1) throw new ImportProblem('exportColumnsMissing', {}, 2);
  const end2 = text.indexOf('\n', end1 + 1);
  const line2 = text.slice(end1 + 1, end2 === -1 ? text.length : end2);
  const names = line2.trim().split(/[\s,;]+/);
  const col = (label: string) => names.findIndex((n) => n.startsWith(label));
  const columns = {
    time: col(COLUMN_NAMES.time),
    clock: col(COLUMN_NAMES.clock),
    open: col(COLUMN_NAMES.open),
    high: col(COLUMN_NAMES.high),
    low: col(COLUMN_NAMES.low),
    close: col(COLUMN_NAMES.close),
    volume: col(COLUMN_NAMES.volume),
    amount: col(COLUMN_NAMES.amount),
  };
  if (columns.time < 0 || columns.open < 0 || columns.high < 0 || columns.low < 0 || columns.close < 0) {
    throw new ImportProblem('exportColumnsInvalid', { text: line2.trim().slice(0, 60) }, 2);
  }
  const intraday = !['day', 'week', 'month'].includes(header.period);
  if (intraday && columns.clock < 0) throw new ImportProblem('exportClockMissing', { period: header.period }, 2);
  if (end2 === -1) return { header, ...emptyResult() };

  // The first data row tells the delimiter and the date format.
  const dataStart = end2 + 1;
  let sampleEnd = text.indexOf('\n', dataStart);
  if (sampleEnd === -1) sampleEnd = text.length;
  const sample = text.slice(dataStart, sampleEnd);
  if (sample.trim() === '' || isFooter(text, dataStart, sampleEnd)) return { header, ...emptyResult() };
  const delimiter = sample.includes(',') ? ',' : sample.includes(';') ? ';' : sample.includes('\t') ? '\t' : ' ';
  const firstDate = (delimiter === ' ' ? sample.trim().split(/\s+/) : sample.split(delimiter))[columns.time] ?? '';
  const dateFormat = detectDateFormat(firstDate);
  if (!dateFormat) throw new ImportProblem('exportDateInvalid', { value: firstDate.trim() }, 3);

  const result = readRows(text, dataStart, 3, {
    delimiter: delimiter === ' ' ? WHITESPACE : delimiter.charCodeAt(0),
    ...columns,
    clock: intraday ? columns.clock : -1,
    dateFormat,
    intraday,
    volumeFactor: volumeFactor(header),
    amountFactor: 1,
    rejectHighBelowLow: false,
    onMissing: 'reject',
    requireOrder: true,
    isFooter,
    columnNames: COLUMN_NAMES,
  });
  return { header, bars: result.bars, notes: result.notes };
}

function emptyResult(): ParsedBars {
  const empty = new Float64Array(0);
  return { bars: { length: 0, ts: empty, open: empty, high: empty, low: empty, close: empty, volume: empty, amount: empty }, notes: { anomalies: 0, skipped: 0 } };
}
