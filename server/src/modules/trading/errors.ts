/**
 * The one table from the portfolio's refusal reasons (engine/portfolio/reasons.ts) to the error
 * catalogue (contracts/errors.yaml): what a refused order is answered with, and the `reasonCode`
 * of an order a fill refused.
 */
import type { ErrorName } from '../../../../contracts/gen/error-codes';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import type { RejectReason } from '../../engine/portfolio';

export const REJECTION_ERRORS: Readonly<Record<RejectReason, ErrorName>> = {
  'invalid-order': 'ORDER_PARAMETER_INVALID', // 1400
  'not-tradable': 'ORDER_REJECTED', // 4000: an index, fund, bond …
  'lot-size': 'ORDER_QUANTITY_INVALID', // 1401
  'odd-lot-must-sell-all': 'ORDER_QUANTITY_INVALID', // 1401: an odd lot is sold all at once
  'insufficient-cash': 'INSUFFICIENT_CASH', // 4200
  'insufficient-position': 'INSUFFICIENT_POSITION', // 4100
  'insufficient-available-position': 'INSUFFICIENT_AVAILABLE_POSITION', // 4101: T+1, or in another open sell
  'market-closed': 'MARKET_CLOSED', // 4300
  'price-limit': 'PRICE_LIMIT_EXCEEDED', // 4402
  suspended: 'ORDER_REJECTED', // 4000
  'unknown-order': 'ORDER_NOT_FOUND', // 4002
};

export function reasonCode(reason: RejectReason): number {
  const name = REJECTION_ERRORS[reason] ?? 'ORDER_REJECTED';
  return ErrorCodes[name].code;
}
