/**
 * Parameter search spaces over a strategy's parameter schema (engine/backtest/strategy.ts), for
 * grid and random search: a grid per searched parameter (a range with a step, or an enumeration of
 * values), the others held fixed. Nothing here builds the grid: a point is decoded from its index
 * (mixed radix), so iterating even a grid of 10⁵ or 10⁸ points takes memory for one point.
 *
 * Order and index. The grid is the product of the dimensions in the order given, the first varying
 * slowest — the order of nested for-loops with the first parameter outermost. Point i has digit
 * d_k = ⌊i / stride_k⌋ mod size_k in dimension k, stride_k the product of the later sizes; it takes
 * the d_k-th value of that dimension. The index is stable for a space, so a search can record the
 * index of its last trial and resume there (`gridTrials(space, from)`).
 *
 * Validity. A point is a trial only if the strategy accepts it the way a backtest request is
 * checked (modules/backtest/config.ts): `resolveStrategyParams` (names, types, ranges) and then
 * `create`, which throws a RangeError for a broken cross-parameter rule (`fast < slow`, listed in
 * the definition's `constraints`). The generators skip the points it refuses.
 */
import { resolveStrategyParams, type StrategyDefinition, type StrategyParam } from '../backtest/strategy';
import { mulberry32, randomIndex } from '../stats/random';

/** A searched parameter: a range min, min + step, … ≤ max, or an enumeration of values (in the order given). */
export type ParamGrid = { name: string; min: number; max: number; step: number } | { name: string; values: readonly number[] };

/** One dimension of a space, checked: its parameter, its size and how its values are made. */
export interface Dimension {
  readonly name: string;
  readonly type: StrategyParam['type'];
  readonly size: number;
  /** A range's start, step and decimals (values are rounded to them against drift), or the enumeration. */
  readonly range?: { readonly min: number; readonly step: number; readonly decimals: number };
  readonly values?: readonly number[];
}

export interface SearchSpace {
  readonly strategyId: string;
  readonly dimensions: readonly Dimension[];
  /** Values of parameters not searched (the rest take the strategy's defaults when resolved). */
  readonly fixed: Readonly<Record<string, number>>;
  /** Whether the strategy accepts a trial's parameters (see "Validity" above). */
  readonly accepts: (params: Readonly<Record<string, number>>) => boolean;
}

/** A point of the grid: its index and its parameters (the fixed ones and the searched ones; no defaults filled in). */
export interface Trial {
  index: number;
  params: Record<string, number>;
}

/**
 * Whether `def` accepts `params` as a backtest request does: resolveStrategyParams, then create
 * (a RangeError from either means no). Any other error is a bug and propagates.
 */
export function strategyAccepts(def: StrategyDefinition, params: Readonly<Record<string, number>>): boolean {
  try {
    def.create(resolveStrategyParams(def, params));
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/** Digits after the decimal point of a number's shortest form (1e-7 → 7, 0.25 → 2, 3 → 0). */
function decimalsOf(x: number): number {
  const [mantissa, exponent] = String(Math.abs(x)).split('e');
  const dot = mantissa!.indexOf('.');
  const digits = dot < 0 ? 0 : mantissa!.length - dot - 1;
  return Math.max(0, digits - Number(exponent ?? 0));
}

/** Checks one grid against its schema parameter and makes its dimension; RangeError naming the problem. */
function dimension(def: StrategyDefinition, grid: ParamGrid): Dimension {
  const param = def.params.find((p) => p.name === grid.name);
  if (!param) throw new RangeError(`${def.id} has no parameter ${grid.name}`);
  const where = `${def.id}.${grid.name}`;
  const fits = (v: number) => Number.isFinite(v) && v >= param.min && v <= param.max && (param.type === 'number' || Number.isInteger(v));
  const must = `${param.type === 'integer' ? 'integers' : 'numbers'} from ${param.min} to ${param.max}`;
  if ('values' in grid) {
    if (grid.values.length === 0) throw new RangeError(`${where}: the values to search are empty`);
    for (const v of grid.values) if (!fits(v)) throw new RangeError(`${where}: the values must be ${must}, got ${v}`);
    if (new Set(grid.values).size !== grid.values.length) throw new RangeError(`${where}: the values repeat`);
    return { name: grid.name, type: param.type, size: grid.values.length, values: [...grid.values] };
  }
  const { min, max, step } = grid;
  if (!fits(min) || !fits(max) || min > max) throw new RangeError(`${where}: min and max must be ${must} with min ≤ max, got ${min} and ${max}`);
  if (!(Number.isFinite(step) && step > 0) || (param.type === 'integer' && !Number.isInteger(step))) {
    throw new RangeError(`${where}: the step must be a positive ${param.type === 'integer' ? 'integer' : 'number'}, got ${step}`);
  }
  // The tolerance keeps max on the grid when (max − min)/step is a whole number up to rounding (0.3/0.1).
  const size = Math.floor((max - min) / step + 1e-9) + 1;
  if (!Number.isSafeInteger(size)) throw new RangeError(`${where}: ${min} to ${max} by ${step} is too many values`);
  return { name: grid.name, type: param.type, size, range: { min, step, decimals: Math.min(15, Math.max(decimalsOf(min), decimalsOf(step))) } };
}

/**
 * The space of `grids` (each a parameter of `def`, at most once) with `fixed` values for others.
 * Throws a RangeError for an unknown or repeated parameter, a value outside the schema, a
 * non-integer value or step of an integer parameter, an empty enumeration, or a grid whose size
 * is not a safe integer.
 */
export function searchSpace(def: StrategyDefinition, grids: readonly ParamGrid[], fixed: Readonly<Record<string, number>> = {}): SearchSpace {
  if (grids.length === 0) throw new RangeError(`${def.id}: a search needs at least one parameter to vary`);
  const dimensions = grids.map((g) => dimension(def, g));
  const names = new Set<string>();
  for (const d of dimensions) {
    if (names.has(d.name)) throw new RangeError(`${def.id}.${d.name} is searched twice`);
    if (d.name in fixed) throw new RangeError(`${def.id}.${d.name} is both searched and fixed`);
    names.add(d.name);
  }
  resolveStrategyParams(def, fixed); // unknown names or values out of range: a RangeError now, not every trial refused
  let size = 1;
  for (const d of dimensions) size *= d.size;
  if (!Number.isSafeInteger(size)) throw new RangeError(`${def.id}: the grid has more than ${Number.MAX_SAFE_INTEGER} points`);
  return { strategyId: def.id, dimensions, fixed: { ...fixed }, accepts: (params) => strategyAccepts(def, params) };
}

/** The number of points of the grid, before the strategy's constraints (the index range of trialAt). */
export function gridSize(space: SearchSpace): number {
  let size = 1;
  for (const d of space.dimensions) size *= d.size;
  return size;
}

/** The value of a dimension at digit i. */
function valueOf(d: Dimension, i: number): number {
  if (d.values) return d.values[i]!;
  const { min, step, decimals } = d.range!;
  if (d.type === 'integer') return min + i * step;
  return Number((min + i * step).toFixed(decimals));
}

function paramsOf(space: SearchSpace, digits: Int32Array | readonly number[]): Record<string, number> {
  const params: Record<string, number> = { ...space.fixed };
  space.dimensions.forEach((d, k) => (params[d.name] = valueOf(d, digits[k]!)));
  return params;
}

/** The digits of index i (mixed radix, the first dimension most significant). */
function digitsOf(space: SearchSpace, index: number): Int32Array {
  const digits = new Int32Array(space.dimensions.length);
  let rest = index;
  for (let k = space.dimensions.length - 1; k >= 0; k--) {
    const size = space.dimensions[k]!.size;
    digits[k] = rest % size;
    rest = Math.floor(rest / size);
  }
  return digits;
}

function checkIndex(space: SearchSpace, index: number, what: string): void {
  const size = gridSize(space);
  if (!(Number.isInteger(index) && index >= 0 && index < size)) throw new RangeError(`${what} must be an integer from 0 to ${size - 1}, got ${index}`);
}

/**
 * The parameters of grid point `index` (0 ≤ index < gridSize), whether or not the strategy accepts
 * them (`space.accepts` says).
 */
export function trialAt(space: SearchSpace, index: number): Record<string, number> {
  checkIndex(space, index, 'index');
  return paramsOf(space, digitsOf(space, index));
}

/**
 * The accepted trials from grid point `from` (default 0) on, in index order, lazily: the state is
 * one point's digits, each trial a fresh object.
 */
export function* gridTrials(space: SearchSpace, from = 0): Generator<Trial, void, undefined> {
  const size = gridSize(space);
  if (from === size) return;
  checkIndex(space, from, 'from');
  const digits = digitsOf(space, from);
  const dims = space.dimensions;
  for (let index = from; index < size; index++) {
    const params = paramsOf(space, digits);
    if (space.accepts(params)) yield { index, params };
    // Odometer: the last digit moves fastest.
    for (let k = dims.length - 1; k >= 0; k--) {
      digits[k] = digits[k]! + 1;
      if (digits[k]! < dims[k]!.size) break;
      digits[k] = 0;
    }
  }
}

/** The number of trials the strategy accepts (a full pass over the grid, in constant memory). */
export function countTrials(space: SearchSpace): number {
  const trials = gridTrials(space);
  let n = 0;
  while (!trials.next().done) n++;
  return n;
}

/** At or above this share of the grid, randomTrials samples in one pass over it (reservoir) rather than by rejection. */
export const RESERVOIR_SHARE = 0.25;

/**
 * `count` distinct accepted trials drawn uniformly without replacement, the same for the same seed
 * (mulberry32). Fewer when the grid has fewer accepted points (then all of them, shuffled).
 *   - count below RESERVOIR_SHARE of the grid: random indices, redrawn when already drawn or refused
 *     by the strategy (memory for the drawn indices); if refusals make that slow (more than
 *     64·count + 1024 draws), it falls back to the reservoir;
 *   - otherwise reservoir sampling (Algorithm R) over gridTrials — one pass, memory for `count`
 *     trials — then a Fisher–Yates shuffle of the sample.
 * RangeError for a count that is not an integer ≥ 0.
 */
export function randomTrials(space: SearchSpace, count: number, seed: number): Trial[] {
  if (!(Number.isSafeInteger(count) && count >= 0)) throw new RangeError(`count must be an integer ≥ 0, got ${count}`);
  const random = mulberry32(seed);
  const size = gridSize(space);
  if (count === 0) return [];
  if (count < RESERVOIR_SHARE * size) {
    const drawn = new Set<number>();
    const out: Trial[] = [];
    const limit = 64 * count + 1024;
    for (let draws = 0; draws < limit && out.length < count; draws++) {
      const index = randomIndex(random, size);
      if (drawn.has(index)) continue;
      drawn.add(index);
      const params = trialAt(space, index);
      if (space.accepts(params)) out.push({ index, params });
    }
    if (out.length === count) return out;
  }
  const sample: Trial[] = [];
  let seen = 0;
  for (const trial of gridTrials(space)) {
    seen++;
    if (sample.length < count) sample.push(trial);
    else {
      const j = randomIndex(random, seen);
      if (j < count) sample[j] = trial;
    }
  }
  for (let i = sample.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [sample[i], sample[j]] = [sample[j]!, sample[i]!];
  }
  return sample;
}
