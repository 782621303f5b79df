/**
 * The lines of an indicator-cross rule checked against the indicator registry (both conventions),
 * so a rule the engine would leave silent forever (an unknown indicator, a parameter out of its
 * range, an output the indicator does not draw) is refused at creation as a 1001 naming the field
 * (`body.condition.line.params.period`), and the warm-up a line needs (its lookback) for the
 * bar-close feed (bar-closes.ts). docs/RULES.md, "Bar closes".
 */
import type { ErrorDetail } from '../../platform/errors';
import { INDICATORS } from '../../engine/indicators';
import { IndicatorProblem } from '../../engine/indicators/problem';
import { resolveParams, type IndicatorDef } from '../../engine/indicators/registry';
import type { LineSpec } from '../../engine/rules';

/** Bars kept per series at least: generous, so EMA-like indicators settle as on a chart of years. */
export const MIN_WINDOW = 500;

/** The registry's definition of a line (absent convention: talib, the API's default), or undefined. */
function definitionOf(spec: Exclude<LineSpec, 'close'>): IndicatorDef | undefined {
  return INDICATORS.find(spec.indicator, spec.convention ?? 'talib');
}

/** Problems of one line (`line` or `against`) as details; none for the close or a level. */
export function lineProblems(spec: LineSpec | number | undefined, field: 'line' | 'against'): ErrorDetail[] {
  if (spec === undefined || spec === 'close' || typeof spec === 'number') return [];
  const where = `body.condition.${field}`;
  const convention = spec.convention ?? 'talib';
  const def = definitionOf(spec);
  if (!def) return [{ field: `${where}.indicator`, message: `no indicator ${spec.indicator} in the ${convention} convention (GET /api/indicators lists them)` }];
  const details: ErrorDetail[] = [];
  try {
    resolveParams(def, spec.params);
  } catch (err) {
    if (!(err instanceof IndicatorProblem)) throw err;
    details.push({ field: `${where}.params${err.field ? `.${err.field}` : ''}`, message: err.message });
  }
  const outputs = def.outputs.map((o) => o.name);
  if (spec.output !== undefined && !outputs.includes(spec.output)) details.push({ field: `${where}.output`, message: `${def.name} draws ${outputs.join(', ')}, not ${spec.output}` });
  return details;
}

/**
 * Bars a line needs before its last two values exist: the indicator's first bar with a value for
 * these parameters, plus the two compared (0 for the close or a level; an invalid line, refused
 * at creation, needs nothing).
 */
export function lookback(spec: LineSpec | number): number {
  if (spec === 'close' || typeof spec === 'number') return 2;
  const def = definitionOf(spec);
  if (!def) return 2;
  try {
    return def.start(resolveParams(def, spec.params)) + 2;
  } catch {
    return 2;
  }
}

/** The bars kept for a rule's series: its lines' warm-up, at least MIN_WINDOW. */
export function windowOf(line: LineSpec, against: LineSpec | number): number {
  return Math.max(MIN_WINDOW, lookback(line), lookback(against));
}
