import { describe, expect, it } from 'vitest';
import { RuleBook } from './book';
import { compileTemplate, formatFen, formatPrice, formatValue, renderTemplate, type TemplateValues } from './template';
import { bj, on, rule, tick } from './testing';

const values: TemplateValues = { rule: 'Stop', severity: 'critical', symbol: '600000.SH', name: '浦发银行', price: 9.5, value: 5.123, threshold: 5, unit: 'percent', time: bj('10:01:02') };

describe('message templates', () => {
  it('fills every placeholder, formatted by its unit', () => {
    const t = compileTemplate('[{severity}] {rule}: {name} ({symbol}) {price} {change} loss {value} ≥ {threshold} at {time}');
    expect(renderTemplate(t, { ...values, changePercent: -5 })).toBe('[critical] Stop: 浦发银行 (600000.SH) 9.50 -5.00% loss 5.12% ≥ 5.00% at 2026-03-02 10:01:02');
    expect(renderTemplate(compileTemplate('{change}'), { ...values, changePercent: 2.345 })).toBe('+2.35%');
  });

  it('leaves unknown placeholders and ones without a value as written; {name} falls back to the symbol', () => {
    const t = compileTemplate('{nope} {price} {name} {{value}}');
    expect(renderTemplate(t, { ...values, price: undefined, name: undefined })).toBe('{nope} {price} 600000.SH {5.12%}');
    expect(renderTemplate(compileTemplate('plain'), values)).toBe('plain');
    expect(renderTemplate(compileTemplate(''), values)).toBe('');
  });

  it('formats money, prices, ratios and fractions', () => {
    expect(formatFen(123_456_789)).toBe('¥1,234,567.89');
    expect(formatFen(-5)).toBe('-¥0.05');
    expect(formatFen(100)).toBe('¥1.00');
    expect(formatPrice(10)).toBe('10.00');
    expect(formatPrice(1.234)).toBe('1.234');
    expect(formatPrice(0.1 + 0.2)).toBe('0.30');
    expect(formatValue(2.5, 'ratio')).toBe('2.50×');
    expect(formatValue(0.38, 'fraction')).toBe('0.3800');
    expect(formatValue(-3.456, 'percent')).toBe('-3.46%');
  });

  it('a trigger carries the rendered message, and a rule without one gets its kind default', () => {
    const book = new RuleBook();
    book.add(rule({ kind: 'price-cross', level: 10, direction: 'up' }, on('600000.SH'), { name: 'Breakout', message: '{rule}: {name} {price} ({change}) > {threshold}' }));
    book.add(rule({ kind: 'price-cross', level: 10, direction: 'up' }, on('600000.SH')));
    book.onQuote(tick('600000.SH', 9.9, '10:00', { name: '浦发银行' }), 0);
    const triggers = book.onQuote(tick('600000.SH', 10.02, '10:01', { name: '浦发银行' }), 0);
    expect(triggers.map((t) => t.message)).toEqual(['Breakout: 浦发银行 10.02 (+0.20%) > 10.00', '浦发银行 crossed up 10.00 at 10.02']);
  });
});
