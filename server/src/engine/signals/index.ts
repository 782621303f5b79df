/**
 * Signal detectors over bar columns: line and level crossings, N-bar new highs/lows, limit-up and
 * limit-down days, and `detectSignals`, the default named set (MA, MACD and KDJ crosses, RSI zones,
 * 20-day extremes, limit days). Pure: arrays in, compact event lists out (only the bars where
 * something happened).
 */
export { crossovers, thresholdCrossings, type Cross, type CrossKind, type LevelCross, type LevelCrossKind } from './crossings';
export { newHighs, newLows, type ExtremeKind, type NewExtreme } from './extremes';
export { limitDays, type LimitDay, type LimitDayOptions, type LimitInstrument, type LimitKind } from './limits';
export {
  DEFAULT_SIGNAL_OPTIONS,
  detectSignals,
  eventsOf,
  SIGNAL_RULES,
  type ExtremeSignalKind,
  type RsiLevelKind,
  type SignalDirection,
  type SignalEvent,
  type SignalEventOf,
  type SignalOptions,
  type SignalRule,
} from './detect';
