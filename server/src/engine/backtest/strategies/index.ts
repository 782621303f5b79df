/** The built-in strategies, in the order a form lists them. */
import type { StrategyDefinition } from '../strategy';
import { bollingerBreakout } from './bollinger-breakout';
import { donchianTurtle } from './donchian-turtle';
import { dualMa } from './dual-ma';
import { equalWeightRebalance } from './equal-weight-rebalance';
import { kdj } from './kdj';
import { macdCross } from './macd-cross';
import { rsiReversion } from './rsi-reversion';

export const STRATEGIES: readonly StrategyDefinition[] = [
  dualMa,
  macdCross,
  kdj,
  rsiReversion,
  bollingerBreakout,
  donchianTurtle,
  equalWeightRebalance,
];

/** The built-in strategy with this id, or undefined. */
export function findStrategy(id: string): StrategyDefinition | undefined {
  return STRATEGIES.find((s) => s.id === id);
}
