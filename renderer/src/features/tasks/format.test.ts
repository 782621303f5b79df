import { describe, expect, it } from 'vitest';
import { errorText, formatEta } from './format';

describe('task run format', () => {
  it('names a failure from the error catalogue in the UI language', () => {
    expect(errorText({ code: 7004, message: 'The task was cancelled' }, 'zh-CN')).toBe('任务已取消');
    expect(errorText({ code: 7004, message: 'The task was cancelled' }, 'en')).toBe('The task was cancelled');
    expect(errorText({ code: 2003, message: 'No bars for 600519.SH' }, 'zh-CN')).toBe('没有该区间的K线数据');
    expect(errorText({ code: 9002, message: 'the server stopped during the task' }, 'en')).toBe('The service is unavailable');
    expect(errorText({ code: 123456, message: 'Something new' }, 'zh-CN')).toBe('Something new');
  });

  it('shows an ETA as a clock', () => {
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3723)).toBe('1:02:03');
    expect(formatEta(undefined)).toBe('—');
  });
});
