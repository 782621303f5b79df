/**
 * The engine's version, stored with every backtest result: a result is reproducible from its
 * config and bars fingerprint under the same version. Bump it whenever a change can move any
 * number of a run (fills, fees, rounding, metrics), so old results are not taken for new ones.
 */
export const ENGINE_VERSION = '1.0.0';
