import { describe, expect, it } from 'vitest';
import { beijing } from '../../../../tests/helpers/market';
import { inQuietHours, inWindow, notifyDecision, shouldNotify, type NotificationSettings } from './notify-rule';

const settings = (over: Partial<NotificationSettings> = {}): NotificationSettings => ({
  enabled: true,
  minSeverity: 'warning',
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  sound: true,
  ...over,
});
const at = (hhmm: string) => beijing(`2024-06-14 ${hhmm}`);
const quiet = (start: string, end: string) => ({ enabled: true, start, end });

describe('shouldNotify', () => {
  it('shows alerts at or above the minimum severity', () => {
    const s = settings();
    expect(shouldNotify({ severity: 'info' }, s, at('10:00'))).toBe(false);
    expect(shouldNotify({ severity: 'warning' }, s, at('10:00'))).toBe(true);
    expect(shouldNotify({ severity: 'critical' }, s, at('10:00'))).toBe(true);
    expect(shouldNotify({ severity: 'info' }, settings({ minSeverity: 'info' }), at('10:00'))).toBe(true);
    expect(shouldNotify({ severity: 'warning' }, settings({ minSeverity: 'critical' }), at('10:00'))).toBe(false);
  });

  it('shows nothing when disabled', () => {
    expect(notifyDecision({ severity: 'critical' }, settings({ enabled: false }), at('10:00'))).toEqual({ show: false, sound: true, reason: 'disabled' });
  });

  it('carries the sound setting and the reason', () => {
    expect(notifyDecision({ severity: 'critical' }, settings({ sound: false }), at('10:00'))).toEqual({ show: true, sound: false, reason: 'shown' });
    expect(notifyDecision({ severity: 'info' }, settings(), at('10:00'))).toEqual({ show: false, sound: true, reason: 'severity' });
    expect(notifyDecision({ severity: 'critical' }, settings({ quietHours: quiet('09:00', '11:00') }), at('10:00'))).toEqual({ show: false, sound: true, reason: 'quiet-hours' });
  });

  it('ignores quiet hours that are off', () => {
    expect(shouldNotify({ severity: 'critical' }, settings({ quietHours: { enabled: false, start: '00:00', end: '23:59' } }), at('12:00'))).toBe(true);
  });
});

describe('quiet hours (Beijing time)', () => {
  it('a window within one day: start inclusive, end exclusive', () => {
    const q = quiet('12:00', '13:30');
    expect(inQuietHours(q, at('11:59'))).toBe(false);
    expect(inQuietHours(q, at('12:00'))).toBe(true);
    expect(inQuietHours(q, at('13:29'))).toBe(true);
    expect(inQuietHours(q, at('13:30'))).toBe(false);
  });

  it('a window wrapping midnight', () => {
    const q = quiet('22:00', '07:00');
    for (const t of ['22:00', '23:59', '00:00', '03:15', '06:59']) expect(inQuietHours(q, at(t)), t).toBe(true);
    for (const t of ['07:00', '12:00', '21:59']) expect(inQuietHours(q, at(t)), t).toBe(false);
  });

  it('start = end is an empty window', () => {
    for (const t of ['00:00', '08:00', '08:01', '23:59']) expect(inWindow(Number(t.slice(0, 2)) * 60 + Number(t.slice(3)), '08:00', '08:00')).toBe(false);
  });

  it('reads Beijing wall-clock time, whatever the machine zone', () => {
    // 15:30 UTC is 23:30 in Beijing: quiet.
    expect(inQuietHours(quiet('22:00', '07:00'), Date.UTC(2024, 5, 14, 15, 30))).toBe(true);
    // 23:30 UTC is 07:30 the next day in Beijing: not quiet.
    expect(inQuietHours(quiet('22:00', '07:00'), Date.UTC(2024, 5, 14, 23, 30))).toBe(false);
  });
});
