/**
 * The chart's view: which bars [start, end) are on screen, in series indexes. Pure functions: the
 * chart turns wheel, drag and keys into these, then draws the window they describe.
 */
export interface Viewport {
  readonly start: number;
  readonly end: number;
}

/** Fewest bars a view shows (zoom-in limit), unless the series has fewer. */
export const MIN_SPAN = 12;
/** Bars shown when a series opens. */
export const DEFAULT_SPAN = 160;

export function span(v: Viewport): number {
  return v.end - v.start;
}

/** Whole bars, inside the series, at least MIN_SPAN wide (or the whole series). */
export function clampViewport(v: Viewport, total: number): Viewport {
  if (total <= 0) return { start: 0, end: 0 };
  const width = Math.min(total, Math.max(Math.min(MIN_SPAN, total), Math.round(v.end - v.start)));
  let start = Math.round(v.start);
  start = Math.max(0, Math.min(total - width, start));
  return { start, end: start + width };
}

/** The newest `width` bars. */
export function latestViewport(total: number, width = DEFAULT_SPAN): Viewport {
  return clampViewport({ start: total - width, end: total }, total);
}

/** Moves the view by `bars` (negative: towards older bars). */
export function pan(v: Viewport, bars: number, total: number): Viewport {
  return clampViewport({ start: v.start + bars, end: v.end + bars }, total);
}

/**
 * Scales the span by `factor` (< 1 zooms in) keeping the bar at `anchor` (0 = left edge, 1 = right
 * edge of the plot) where it is.
 */
export function zoom(v: Viewport, factor: number, total: number, anchor = 1): Viewport {
  const width = span(v);
  let next = Math.round(width * factor);
  if (next === width) next = factor < 1 ? width - 1 : width + 1;
  const a = Math.min(1, Math.max(0, anchor));
  const at = v.start + width * a;
  return clampViewport({ start: at - next * a, end: at - next * a + next }, total);
}

/** The same bars after `count` older bars were put in front of the series. */
export function shiftForPrepend(v: Viewport, count: number): Viewport {
  return { start: v.start + count, end: v.end + count };
}
