/**
 * A result's tables as CSV files (GET /api/backtest/results/{id}/export?format=csv&table=…): UTF-8
 * with a BOM so that Excel opens Chinese text right, one header row, money in yuan with two
 * decimals (exact: every amount is a whole number of fen), ratios as plain decimals.
 */
import type { BacktestDocument } from './document';

export type CsvTable = 'trades' | 'fills' | 'orders' | 'equity';

const BOM = '\uFEFF';
const fenToYuan = (fen: number): string => (fen / 100).toFixed(2);

/** A field quoted when it holds a delimiter, a quote or a line break. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return BOM + [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function tableCsv(doc: BacktestDocument, table: CsvTable): string {
  switch (table) {
    case 'trades':
      return csv(
        ['symbol', 'entry_date', 'exit_date', 'quantity', 'entry_value', 'exit_value', 'pnl', 'return', 'holding_days', 'commission', 'stamp_duty', 'transfer_fee'],
        doc.trades.map((t) => [t.symbol, t.entryDate, t.exitDate, t.quantity, fenToYuan(t.entryValueFen), fenToYuan(t.exitValueFen), fenToYuan(t.pnlFen), t.returnPct, t.holdingDays, fenToYuan(t.commissionFen), fenToYuan(t.stampDutyFen), fenToYuan(t.transferFeeFen)]),
      );
    case 'fills':
      return csv(
        ['id', 'order_id', 'symbol', 'side', 'date', 'quantity', 'price', 'value', 'commission', 'stamp_duty', 'transfer_fee', 'cash'],
        doc.fills.map((f) => [f.id, f.orderId, f.symbol, f.side, f.date, f.quantity, f.price.toFixed(2), fenToYuan(f.valueFen), fenToYuan(f.commissionFen), fenToYuan(f.stampDutyFen), fenToYuan(f.transferFeeFen), fenToYuan(f.cashFen)]),
      );
    case 'orders':
      return csv(
        ['id', 'symbol', 'side', 'type', 'quantity', 'limit_price', 'stop_price', 'submitted', 'status', 'filled_quantity', 'reason'],
        doc.orders.map((o) => [o.id, o.symbol, o.side, o.type, o.quantity, o.limitPrice?.toFixed(2), o.stopPrice?.toFixed(2), o.submitted, o.status, o.filledQuantity, o.reason]),
      );
    case 'equity':
      return csv(
        ['date', 'equity', 'benchmark', 'drawdown', 'cash', 'exposure'],
        doc.series.dates.map((d, i) => [d, doc.series.equity[i]!.toFixed(2), doc.series.benchmark?.[i]?.toFixed(2), doc.series.drawdown[i], doc.series.cash[i]!.toFixed(2), doc.series.exposure[i]]),
      );
  }
}
