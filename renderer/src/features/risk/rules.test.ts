import { describe, expect, it } from 'vitest';
import type { RiskRule } from '@/api/risk';
import type { IndicatorMeta } from '@/api/indicators';
import { conditionSummary, draftOf, inputOf, lineFor, lineMode, lineTitle, needsAccount, newDraft, scopeTypes } from './rules';

describe('risk rule editor model', () => {
  it('scopes by kind', () => {
    expect(scopeTypes('price-cross')).toEqual(['symbol', 'watchlist']);
    expect(scopeTypes('position-loss')).toEqual(['symbol', 'watchlist', 'account']);
    expect(scopeTypes('drawdown')).toEqual(['account']);
    expect(needsAccount('position-weight', 'symbol')).toBe(true);
    expect(needsAccount('price-change', 'symbol')).toBe(false);
  });

  it("sends only the kind's parameters and the scope's and frequency's own fields", () => {
    const draft = { ...newDraft('price-change', { symbol: '600000.SH', accountId: 3 }), name: ' 涨跌 ', frequency: 'every' as const, cooldownSeconds: 60 };
    expect(inputOf(draft)).toEqual({
      name: '涨跌',
      enabled: true,
      severity: 'warning',
      condition: { kind: 'price-change', minutes: 5, thresholdPercent: 5, direction: 'either' },
      scope: { type: 'symbol', symbol: '600000.SH' },
      frequency: { mode: 'every', cooldownSeconds: 60 },
      expiresAt: null,
    });
    const loss = { ...newDraft('position-loss', { symbol: '600000.SH', accountId: 3 }), name: 'loss', frequency: 'once-per-bar' as const };
    expect(inputOf(loss)).toMatchObject({ condition: { kind: 'position-loss', thresholdPercent: 5 }, scope: { type: 'symbol', symbol: '600000.SH', accountId: 3 }, frequency: { mode: 'once-per-bar', bar: 'day' } });
    expect(inputOf({ ...newDraft('hhi', { accountId: 3 }), name: 'h' }).condition).toEqual({ kind: 'hhi', threshold: 0.3 });
  });

  it('a stored rule round-trips through the form', () => {
    const rule = {
      id: 'r1',
      name: 'VaR',
      enabled: false,
      severity: 'critical',
      condition: { kind: 'var', unit: 'fen', threshold: 500000 },
      scope: { type: 'account', accountId: 2 },
      frequency: { mode: 'once' },
      expiresAt: null,
      message: 'VaR {value}',
      symbols: [],
      expired: false,
      armed: true,
      lastFiredAt: null,
      createdAt: '',
      updatedAt: '',
    } satisfies RiskRule;
    expect(inputOf(draftOf(rule))).toEqual({
      name: 'VaR',
      enabled: false,
      severity: 'critical',
      condition: rule.condition,
      scope: rule.scope,
      frequency: rule.frequency,
      expiresAt: null,
      message: 'VaR {value}',
    });
    expect(conditionSummary(rule.condition)).toEqual([
      ['unit', 'fen'],
      ['threshold', 500000],
    ]);
  });
});

describe('pre-trade rules', () => {
  it('name a paper account on any scope and send their own parameter', () => {
    expect(scopeTypes('max-order-value')).toEqual(['account', 'symbol']);
    expect(needsAccount('max-daily-orders', 'symbol')).toBe(true);
    const draft = { ...newDraft('max-order-value', { accountId: 4 }), name: 'cap' };
    expect(inputOf(draft)).toMatchObject({ condition: { kind: 'max-order-value', maxValue: 100_000 }, scope: { type: 'account', accountId: 4 } });
  });
});

describe('indicator-cross rules', () => {
  it('watch symbols and send period, line, against and direction: close crosses below SMA(20) by default', () => {
    expect(scopeTypes('indicator-cross')).toEqual(['symbol', 'watchlist']);
    expect(needsAccount('indicator-cross', 'symbol')).toBe(false);
    const draft = { ...newDraft('indicator-cross', { symbol: '600000.SH', accountId: 3 }), name: 'MA20' };
    draft.params.direction = 'down';
    expect(inputOf(draft)).toMatchObject({
      condition: { kind: 'indicator-cross', period: 'day', line: 'close', against: { indicator: 'SMA', params: { period: 20 } }, direction: 'down' },
      scope: { type: 'symbol', symbol: '600000.SH' },
    });
    // Each draft edits its own line objects.
    (draft.params.against as { params: Record<string, number> }).params.period = 60;
    expect(newDraft('indicator-cross').params.against).toEqual({ indicator: 'SMA', params: { period: 20 } });
  });

  it('round-trips a stored rule without sharing its objects, and lists lines by their titles', () => {
    const condition = { kind: 'indicator-cross', period: 'day', line: { indicator: 'MACD', convention: 'tdx', params: { short: 12, long: 26, mid: 9 }, output: 'dif' }, against: 0, direction: 'up' } as const;
    const rule = { id: 'r', name: 'MACD', enabled: true, severity: 'info', condition, scope: { type: 'symbol', symbol: '600000.SH' }, frequency: { mode: 'once' }, expiresAt: null, symbols: ['600000.SH'], expired: false, armed: true, lastFiredAt: null, createdAt: '', updatedAt: '' } satisfies RiskRule;
    const draft = draftOf(rule);
    expect(inputOf(draft).condition).toEqual(condition);
    expect(draft.params.line).not.toBe(condition.line);
    expect(conditionSummary(condition)).toEqual([
      ['period', 'day'],
      ['line', 'MACD(12,26,9).dif TDX'],
      ['against', 0],
      ['direction', 'up'],
    ]);
  });

  it('line helpers: the mode of a value, a title, and a fresh line for another indicator', () => {
    expect([lineMode('close'), lineMode(70), lineMode({ indicator: 'RSI' })]).toEqual(['close', 'level', 'indicator']);
    expect(lineTitle({ indicator: 'SMA', params: { period: 20 } })).toBe('SMA(20)');
    const ma = { name: 'MA', convention: 'tdx', params: [{ name: 'period', default: 5 }], outputs: [{ name: 'ma' }] } as unknown as IndicatorMeta;
    expect(lineFor(ma)).toEqual({ indicator: 'MA', convention: 'tdx', params: { period: 5 } });
    expect(lineFor({ ...ma, convention: 'talib', name: 'SMA' })).toEqual({ indicator: 'SMA', params: { period: 5 } });
  });
});
