import { afterEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type { FileProblem, ImportFileResult } from '@/api/data';
import { i18n, setLocale } from '@/plugins/i18n';
import ImportResults from './components/ImportResults.vue';
import { formatImportProblem } from './problem';

afterEach(() => setLocale('zh-CN'));

const problem = (code: FileProblem['code'], params: FileProblem['params'], message = 'the English message'): FileProblem => ({ file: 'a.csv', code, params, message });

describe('formatImportProblem', () => {
  it('says the problem in Chinese with its facts', () => {
    setLocale('zh-CN');
    expect(formatImportProblem(problem('rowTooShort', { fields: 3, width: 7 }))).toBe('该行只有 3 列，需要 7 列');
    expect(formatImportProblem(problem('numberInvalid', { value: 'abc', column: 2, field: 'open' }))).toBe('第 2 列（开盘价）的 "abc" 不是数字');
    // A TDX export names its columns: the file's name is shown.
    expect(formatImportProblem(problem('valueMissing', { column: 2, field: 'open', label: '开盘' }))).toBe('第 2 列（开盘）缺少数值');
    expect(formatImportProblem(problem('timeInvalid', { value: '2015/13/45', column: 1, field: 'time', label: '日期', format: 'YYYY/MM/DD' }))).toBe(
      '第 1 列（日期）的 "2015/13/45" 不是 YYYY/MM/DD 格式的时间',
    );
    expect(formatImportProblem(problem('fileTruncated', { bytes: 3207, recordBytes: 32, record: 101, rest: 7 }))).toBe(
      '文件不完整：3207 字节不是 32 字节记录的整数倍（第 101 条记录只有 7 字节）',
    );
    expect(formatImportProblem(problem('exportCodeMismatch', { headerCode: '601005', fileCode: '601003' }))).toBe('文件头的代码是 601005，但文件名的代码是 601003');
    expect(formatImportProblem(problem('csvColumnMappedTwice', { column: 6, field: 'amount', other: 'volume' }))).toBe('第 6 列同时对应了成交量和成交额');
    expect(formatImportProblem(problem('exportClockMissing', { period: '5m' }))).toBe('5分周期的导出文件需要“时间”列');
    expect(formatImportProblem(problem('fileUnreadable', { reason: 'ENOENT' }))).toBe('无法读取文件（ENOENT）');
    expect(formatImportProblem(problem('rowsSkipped', { count: 358 }))).toBe('已跳过 358 行有缺失值的数据');
    expect(formatImportProblem(problem('noBars', {}))).toBe('文件中没有 K 线');
  });

  it('says it in English, with plurals', () => {
    setLocale('en');
    expect(formatImportProblem(problem('rowTooShort', { fields: 3, width: 7 }))).toBe('the row has 3 columns; 7 are needed');
    expect(formatImportProblem(problem('rowTooShort', { fields: 1, width: 7 }))).toBe('the row has 1 column; 7 are needed');
    expect(formatImportProblem(problem('numberInvalid', { value: 'abc', column: 2, field: 'open' }))).toBe('"abc" in column 2 (open) is not a number');
    expect(formatImportProblem(problem('numberInvalid', { value: '1.2.3', column: 2, field: 'open', label: '开盘' }))).toBe('"1.2.3" in column 2 (开盘) is not a number');
    expect(formatImportProblem(problem('noDataRows', { headerRows: 1 }))).toBe('no data rows after 1 header row');
    expect(formatImportProblem(problem('noDataRows', { headerRows: 2 }))).toBe('no data rows after 2 header rows');
    expect(formatImportProblem(problem('pricesOutOfOrder', { count: 16 }))).toBe('16 bars kept with prices out of order (open/close outside low..high)');
    expect(formatImportProblem(problem('rowsSkipped', { count: 1 }))).toBe('1 row with a missing value skipped');
    expect(formatImportProblem(problem('exportClockMissing', { period: '1m' }))).toBe('a 1m export needs a 时间 (time) column');
    expect(formatImportProblem(problem('timeNotAfterPrevious', { value: '2007/03/01' }))).toBe('"2007/03/01" is not after the previous row\'s time');
  });

  it('shows the message of a code it does not know, or of a problem without one (another server version)', () => {
    setLocale('zh-CN');
    expect(formatImportProblem({ code: 'somethingNew' as FileProblem['code'], params: { x: 1 }, message: 'something new happened' })).toBe('something new happened');
    expect(formatImportProblem({ message: 'an older server' } as FileProblem)).toBe('an older server');
  });

  it('leaves values from the file as they are (no message syntax in them)', () => {
    setLocale('en');
    expect(formatImportProblem(problem('exportDateInvalid', { value: '{x} @:data.title | %' }))).toBe('"{x} @:data.title | %" is not a date');
  });
});

describe('ImportResults', () => {
  const results: ImportFileResult[] = [
    { file: 'bad.csv', status: 'failed', bars: 0, inserted: 0, problem: { file: 'bad.csv', line: 1400, code: 'numberInvalid', params: { value: '12..5', column: 3, field: 'open' }, message: '"12..5" in column 3 (open) is not a number' } },
    { file: 'ne.csv', status: 'imported', bars: 3477, inserted: 3477, skipped: 358, warning: { file: 'ne.csv', line: 1412, code: 'rowsSkipped', params: { count: 358 }, message: '358 rows with a missing value skipped' } },
    { file: 'old.day', status: 'failed', bars: 0, inserted: 0, problem: { message: 'from an older server', file: 'old.day' } as FileProblem },
  ];

  it('shows problems and warnings in the UI language with their line, the English message on hover', () => {
    setLocale('zh-CN');
    const wrapper = mount(ImportResults, { props: { results }, global: { plugins: [i18n, ElementPlus] } });
    const rows = wrapper.findAll('[data-testid="data-import-result-row"]');
    const bad = rows[0]!.find('[data-testid="data-import-problem-text"]');
    expect(bad.text()).toBe('第 1400 行： 第 3 列（开盘价）的 "12..5" 不是数字');
    expect(bad.attributes('title')).toBe('"12..5" in column 3 (open) is not a number');
    expect(rows[1]!.find('.problem').text()).toBe('第 1412 行： 已跳过 358 行有缺失值的数据');
    expect(rows[2]!.find('[data-testid="data-import-problem-text"]').text()).toBe('from an older server');
    wrapper.unmount();
  });
});
