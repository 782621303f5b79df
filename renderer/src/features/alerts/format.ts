/**
 * An alert's value and threshold as the rule compared them (Alert.unit, the rules engine's units,
 * docs/RULES.md): percent 5.12%, money ¥12,345.67 from fen, a price 10.40, a ratio 2.50×, a
 * fraction (HHI) 0.3800. An alert without a unit (a test alert, one raised before units were
 * stored) shows the number with at most four decimals.
 */
import type { Alert } from '@/api/alerts';

type Unit = NonNullable<Alert['unit']>;

const trimmed = (n: number, digits: number) => String(Number(n.toFixed(digits)));

export function formatAlertValue(value: number, unit: Unit | undefined, locale: string): string {
  switch (unit) {
    case 'percent':
      return `${value.toFixed(2)}%`;
    case 'fen':
      return `¥${(value / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'price':
      // Fund prices tick in 0.001: a price exactly on a mill (not on a fen) keeps its third
      // decimal; anything else (an indicator line such as MA20) reads to the fen.
      return Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6 && Math.round(value * 1000) % 10 !== 0 ? value.toFixed(3) : value.toFixed(2);
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'fraction':
      return value.toFixed(4);
    default:
      return trimmed(value, 4);
  }
}
