/**
 * Import problem codes: the contract's ImportProblemCode enum is the list. Every code needs an
 * English template on the server (engine/import/problem.ts) and a text in both UI languages
 * (`data.problem.<code>`) that uses only the params the server sends for it.
 */
import { describe, expect, it } from 'vitest';
import spec from '../../contracts/gen/openapi.json' with { type: 'json' };
import { IMPORT_PROBLEM_TEXT, importProblemText, type ImportProblemCode, type ImportProblemParams } from '../../server/src/engine/import/problem';
import zhCN from '../../renderer/src/plugins/i18n/zh-CN';
import en from '../../renderer/src/plugins/i18n/en';

const CODES = (spec.components.schemas.ImportProblemCode as { enum: string[] }).enum;

/** Params of each code as the server sends them (the type makes a missing code a compile error). */
const EXAMPLES: { [C in ImportProblemCode]: ImportProblemParams<C> } = {
  fileUnreadable: { reason: 'EACCES' },
  parseFailed: { reason: 'out of memory' },
  cacheWriteFailed: { reason: 'disk full' },
  tdxFileName: { fileName: 'sh600000.bak' },
  fileTruncated: { bytes: 3207, recordBytes: 32, record: 101, rest: 7 },
  recordDateInvalid: { value: 20201345 },
  recordDateNotAfterPrevious: { date: '1999-11-17' },
  packedDateInvalid: { value: 65535 },
  recordMinutesInvalid: { value: 1500 },
  recordTimeNotAfterPrevious: { time: '2021-06-01 09:35' },
  priceNotFinite: {},
  amountInvalid: { value: '-Infinity' },
  exportHeaderInvalid: { text: '日期,开盘,最高' },
  exportColumnsMissing: {},
  exportColumnsInvalid: { text: 'date,open,high' },
  exportClockMissing: { period: '5m' },
  exportDateInvalid: { value: '13/45' },
  exportCodeMismatch: { headerCode: '601005', fileCode: '601003' },
  rowTooShort: { fields: 3, width: 7 },
  numberInvalid: { value: 'abc', column: 3, field: 'open', label: '开盘' },
  timeInvalid: { value: '2020-13-01', column: 1, field: 'time', format: 'YYYY-MM-DD' },
  minuteTimeInvalid: { value: '2020-07-01 09:31:30', column: 2, field: 'time', format: 'YYYY-MM-DD HH:mm:ss' },
  clockInvalid: { value: '2561', column: 2, field: 'clock', label: '时间' },
  valueMissing: { column: 4, field: 'high' },
  volumeNegative: { value: -5 },
  amountNegative: { value: -1.5 },
  highBelowLow: { high: 9.5, low: 9.8 },
  timeNotAfterPrevious: { value: '2007/03/01' },
  duplicateTime: { firstLine: 2 },
  noDataRows: { headerRows: 1 },
  allRowsMissing: { rows: 2 },
  csvDateFormatNoClock: { format: 'YYYY-MM-DD' },
  csvColumnMappedTwice: { column: 6, field: 'amount', other: 'volume' },
  csvDelimiterInvalid: { value: ';;' },
  noBars: {},
  rowsSkipped: { count: 358 },
  pricesOutOfOrder: { count: 16 },
};

/** Params the renderer adds: `name`, the column's name (its label in the file, or its field). */
const DERIVED = ['name'];

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

describe('import problem codes', () => {
  it('the contract lists codes, each once', () => {
    expect(CODES.length).toBeGreaterThan(30);
    expect(new Set(CODES).size).toBe(CODES.length);
  });

  it('every code has an English template on the server, and nothing else has', () => {
    expect(Object.keys(IMPORT_PROBLEM_TEXT).sort()).toEqual([...CODES].sort());
    expect(Object.keys(EXAMPLES).sort()).toEqual([...CODES].sort());
    for (const code of CODES as ImportProblemCode[]) {
      const text = importProblemText(code, EXAMPLES[code] as never);
      expect(text, code).not.toMatch(/undefined|NaN|\[object/);
      // Every fact is in the text (a column's field only when the file does not name it).
      for (const [param, value] of Object.entries(EXAMPLES[code])) {
        if (param !== 'field' || !('label' in EXAMPLES[code])) expect(text, `${code} says its ${param}`).toContain(String(value));
      }
    }
  });

  for (const [locale, messages] of [['zh-CN', zhCN], ['en', en]] as const) {
    it(`every code has a ${locale} text using only its params`, () => {
      const texts = messages.data.problem as Record<string, string>;
      expect(Object.keys(texts).sort()).toEqual([...CODES].sort());
      for (const code of CODES as ImportProblemCode[]) {
        const text = texts[code];
        expect(typeof text === 'string' && text.trim() !== '', `${locale} data.problem.${code}`).toBe(true);
        const known = [...Object.keys(EXAMPLES[code]), ...('field' in EXAMPLES[code] ? DERIVED : [])];
        for (const name of placeholders(text!)) expect(known, `${locale} data.problem.${code} uses {${name}}`).toContain(name);
        // Every fact reaches the user (`label` and `field` through `name`).
        const shown = new Set(placeholders(text!));
        for (const param of Object.keys(EXAMPLES[code])) {
          const through = param === 'label' || (param === 'field' && shown.has('name')) ? 'name' : param;
          expect(shown, `${locale} data.problem.${code} shows {${param}}`).toContain(through);
        }
      }
    });
  }
});
