/**
 * The cash ledger: every cash movement as one entry in integer fen, so that
 *   initialCashFen + Σ entry.amountFen = cash
 * holds exactly at every moment (`reconcile`). A fill writes up to four entries — the trade value
 * and each fee on its own — so statements and reports can show commission, stamp duty and transfer
 * fee separately.
 */
import type { Fill } from './orders';

export type LedgerKind = 'deposit' | 'withdrawal' | 'buy' | 'sell' | 'commission' | 'stamp-duty' | 'transfer-fee';

export interface LedgerEntry {
  seq: number;
  day: number;
  kind: LedgerKind;
  /** Signed: + into the account, − out of it. */
  amountFen: number;
  fillId?: string;
  orderId?: string;
  symbol?: string;
}

/** The ledger entries of a fill (fees of 0 are not written), numbered from `seq`. */
export function fillEntries(fill: Fill, seq: number): LedgerEntry[] {
  const base = { day: fill.day, fillId: fill.id, orderId: fill.orderId, symbol: fill.symbol };
  const out: LedgerEntry[] = [];
  const push = (kind: LedgerKind, amountFen: number) => {
    if (amountFen !== 0 || kind === 'buy' || kind === 'sell') out.push({ seq: seq + out.length, kind, amountFen, ...base });
  };
  push(fill.side, fill.side === 'buy' ? -fill.valueFen : fill.valueFen);
  push('commission', -fill.commissionFen);
  push('stamp-duty', -fill.stampDutyFen);
  push('transfer-fee', -fill.transferFeeFen);
  return out;
}

/** Whether the entries account for the cash exactly. */
export function reconcile(initialCashFen: number, entries: readonly LedgerEntry[], cashFen: number): boolean {
  let sum = initialCashFen;
  for (const e of entries) sum += e.amountFen;
  return sum === cashFen;
}

/** Fees paid by component over the entries (positive fen). */
export function feeTotals(entries: readonly LedgerEntry[]): { commissionFen: number; stampDutyFen: number; transferFeeFen: number } {
  const t = { commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0 };
  for (const e of entries) {
    if (e.kind === 'commission') t.commissionFen -= e.amountFen;
    else if (e.kind === 'stamp-duty') t.stampDutyFen -= e.amountFen;
    else if (e.kind === 'transfer-fee') t.transferFeeFen -= e.amountFen;
  }
  return t;
}
