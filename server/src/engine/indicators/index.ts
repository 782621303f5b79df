/** The one registry of indicators: TA-Lib convention (the default) first, then TDX. */
import { TALIB_DEFS } from './defs-talib';
import { TDX_DEFS } from './defs-tdx';
import { Registry } from './registry';

export const INDICATORS = new Registry([...TALIB_DEFS, ...TDX_DEFS]);
