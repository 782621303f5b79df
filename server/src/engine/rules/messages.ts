/**
 * The default alert messages of the rule kinds (a rule without a template of its own), in the two
 * languages of the app. They are templates (template.ts): the placeholders are filled when a rule
 * fires. The book renders the English one into `Trigger.message`; the risk module renders the
 * language of the settings at the moment an alert is raised (`defaultMessage(c, language)`), so a
 * zh-CN user reads Chinese alerts and native notifications.
 */
import type { LineSpec, RuleCondition } from './types';

export type MessageLanguage = 'zh-CN' | 'en';

const PERIOD_ZH: Record<string, string> = { day: '日线', '1m': '1 分钟', '5m': '5 分钟', '15m': '15 分钟', '30m': '30 分钟', '60m': '60 分钟' };

/** How a line reads in a default message: close, MA(20), MACD(12,26,9).dea, 80. */
function lineText(spec: LineSpec | number, language: MessageLanguage): string {
  if (typeof spec === 'number') return String(spec);
  if (spec === 'close') return language === 'zh-CN' ? '收盘价' : 'close';
  const params = Object.values(spec.params ?? {});
  return `${spec.indicator}${params.length ? `(${params.join(',')})` : ''}${spec.output ? `.${spec.output}` : ''}`;
}

function english(c: RuleCondition): string {
  switch (c.kind) {
    case 'position-loss':
      return '{name} position loss {value} (threshold {threshold}) at {price}';
    case 'price-cross':
      return `{name} crossed ${c.direction === 'either' ? '' : `${c.direction} `}{threshold} at {price}`;
    case 'price-change':
      return `{name} moved {value} in ${c.minutes} min (threshold {threshold}) to {price}`;
    case 'volume-surge':
      return `{name} volume at {value} its ${c.days}-day pace (threshold {threshold})`;
    case 'limit-touch':
      return '{name} touched its limit price {threshold}';
    case 'indicator-cross':
      return `{name} ${lineText(c.line, 'en')} crossed ${c.direction === 'either' ? '' : `${c.direction === 'up' ? 'above' : 'below'} `}${lineText(c.against, 'en')} on the ${c.period} close {price}`;
    case 'drawdown':
      return 'Account drawdown {value} (threshold {threshold})';
    case 'daily-loss':
      return 'Account loss today {value} (threshold {threshold})';
    case 'position-weight':
      return '{name} weight {value} of the book (threshold {threshold})';
    case 'hhi':
      return 'Book concentration HHI {value} (threshold {threshold})';
    case 'var':
      return 'Value at risk {value} (threshold {threshold})';
  }
}

const CROSS_ZH = { up: '上穿', down: '下穿', either: '穿越' } as const;
const LIMIT_ZH = { up: '涨停价', down: '跌停价', either: '涨跌停价' } as const;

function chinese(c: RuleCondition): string {
  switch (c.kind) {
    case 'position-loss':
      return '{name} 持仓亏损 {value}（阈值 {threshold}），现价 {price}';
    case 'price-cross':
      return `{name} ${CROSS_ZH[c.direction]} {threshold}，现价 {price}`;
    case 'price-change':
      return `{name} ${c.minutes} 分钟内涨跌 {value}（阈值 {threshold}），现价 {price}`;
    case 'volume-surge':
      return `{name} 成交量达 ${c.days} 日均量同期的 {value}（阈值 {threshold}）`;
    case 'limit-touch':
      return `{name} 触及${LIMIT_ZH[c.side]} {threshold}`;
    case 'indicator-cross':
      return `{name} ${PERIOD_ZH[c.period] ?? c.period}${lineText(c.line, 'zh-CN')}${CROSS_ZH[c.direction]} ${lineText(c.against, 'zh-CN')}，收盘 {price}`;
    case 'drawdown':
      return '账户回撤 {value}（阈值 {threshold}）';
    case 'daily-loss':
      return '账户今日亏损 {value}（阈值 {threshold}）';
    case 'position-weight':
      return '{name} 占持仓 {value}（阈值 {threshold}）';
    case 'hhi':
      return '持仓集中度 HHI {value}（阈值 {threshold}）';
    case 'var':
      return '在险价值 VaR {value}（阈值 {threshold}）';
  }
}

/** The message of a rule without a template of its own, in `language` (default English). */
export function defaultMessage(c: RuleCondition, language: MessageLanguage = 'en'): string {
  return language === 'zh-CN' ? chinese(c) : english(c);
}
