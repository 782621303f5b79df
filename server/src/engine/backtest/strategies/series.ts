/**
 * Indicator reads for the built-in strategies. ctx.indicator computes over the symbol's whole
 * series and throws IndicatorProblem('insufficient') when the whole series is shorter than the
 * indicator's warm-up; a strategy treats that like warm-up (all NaN: no signal), so a symbol with
 * too few bars simply never trades instead of failing the backtest.
 */
import type { Convention, Params } from '../../indicators/registry';
import { IndicatorProblem } from '../../indicators/problem';
import type { SeriesView, StrategyContext } from '../strategy';

export function indicatorOrNaN(ctx: StrategyContext, symbol: string, name: string, params: Params, output?: string, convention?: Convention): Float64Array {
  try {
    return ctx.indicator(symbol, name, params, output, convention);
  } catch (e) {
    if (e instanceof IndicatorProblem && e.kind === 'insufficient') return new Float64Array(ctx.bars(symbol).length).fill(NaN);
    throw e;
  }
}

/**
 * indicatorOrNaN as a live view (ctx.indicatorView, or the array where a context has none): read on
 * every bar without a new array per bar.
 */
export function indicatorViewOrNaN(ctx: StrategyContext, symbol: string, name: string, params: Params, output?: string, convention?: Convention): SeriesView {
  if (!ctx.indicatorView) return indicatorOrNaN(ctx, symbol, name, params, output, convention);
  try {
    return ctx.indicatorView(symbol, name, params, output, convention);
  } catch (e) {
    if (e instanceof IndicatorProblem && e.kind === 'insufficient') return new Float64Array(ctx.bars(symbol).length).fill(NaN);
    throw e;
  }
}

/**
 * One live view per symbol for the run at hand (viewFor): a strategy asks the context once per
 * symbol instead of on every bar. A view lives as long as its run, so the views are dropped when
 * another run's context asks; an array (a context without live views, or a series too short for the
 * indicator) does not follow the bars and is asked for again on every bar. A plain object (not a
 * class instance): its hidden class lives with the function that makes it, not with the instances,
 * so code compiled for it survives from one run to the next.
 */
export interface ViewsBySymbol {
  ctx: StrategyContext | undefined;
  readonly views: Map<string, SeriesView>;
  readonly read: (ctx: StrategyContext, symbol: string) => SeriesView;
}

export function viewsBySymbol(read: (ctx: StrategyContext, symbol: string) => SeriesView): ViewsBySymbol {
  return { ctx: undefined, views: new Map(), read };
}

export function viewFor(cache: ViewsBySymbol, ctx: StrategyContext, symbol: string): SeriesView {
  if (ctx !== cache.ctx) {
    cache.views.clear();
    cache.ctx = ctx;
  }
  let view = cache.views.get(symbol);
  if (view === undefined) {
    view = cache.read(ctx, symbol);
    if (!(view instanceof Float64Array)) cache.views.set(symbol, view);
  }
  return view;
}
