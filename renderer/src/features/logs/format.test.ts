import { describe, expect, it } from 'vitest';
import { contextSummary, fileStamp, formatLogLine, formatLogTime, matchesNeedle, splitMatches } from './format';

describe('log formatting', () => {
  it('formats local times to the millisecond', () => {
    const d = new Date(2026, 0, 2, 3, 4, 5, 67);
    expect(formatLogTime(d.toISOString())).toBe('03:04:05.067');
    expect(formatLogTime('not a date')).toBe('--:--:--.---');
    expect(fileStamp(d)).toBe('20260102-030405');
  });

  it('writes one line per entry, with the context as JSON', () => {
    const timestamp = new Date(2026, 0, 2, 3, 4, 5, 678).toISOString();
    expect(formatLogLine({ id: 1, timestamp, level: 'INFO', module: 'system', message: 'settings updated', context: { changed: ['theme'] } })).toBe(
      '2026-01-02 03:04:05.678 INFO    [system] settings updated {"changed":["theme"]}',
    );
    expect(formatLogLine({ id: 2, timestamp, level: 'ERROR', module: 'db', message: 'boom' })).toBe('2026-01-02 03:04:05.678 ERROR   [db] boom');
  });

  it('summarizes the context on one line', () => {
    expect(contextSummary({ method: 'GET', url: '/api/x', status: 200, changed: ['theme'] })).toBe('method=GET url=/api/x status=200 changed=["theme"]');
    expect(contextSummary(undefined)).toBe('');
  });

  it('matches like the server (message or module, any case) and splits for highlighting', () => {
    const e = { id: 1, timestamp: '', level: 'INFO' as const, module: 'HTTP', message: 'Request done' };
    expect(matchesNeedle(e, 'http')).toBe(true);
    expect(matchesNeedle(e, 'request')).toBe(true);
    expect(matchesNeedle(e, 'xyz')).toBe(false);
    expect(splitMatches('Settings updated; settings saved', 'SETTINGS')).toEqual([
      { text: 'Settings', hit: true },
      { text: ' updated; ', hit: false },
      { text: 'settings', hit: true },
      { text: ' saved', hit: false },
    ]);
    expect(splitMatches('abc', '')).toEqual([{ text: 'abc', hit: false }]);
  });
});
