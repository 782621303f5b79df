/**
 * The main window's position, size and maximized state, kept in `window-state.json` in userData.
 * Restored on start and clamped to a display that is connected now (a monitor may have been
 * unplugged since); saved with a debounce while the user moves or resizes, and at once on close.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Rect {
  maximized: boolean;
}

/** What BrowserWindow is created with: no x/y means "let the OS centre it". */
export interface InitialBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;
export const MIN_SIZE = { width: 1024, height: 640 } as const;
/** How much of a saved window must overlap a display to be restored there (px on each axis). */
const MIN_VISIBLE = 64;

export const WINDOW_STATE_FILE = 'window-state.json';

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates parsed JSON; anything odd means "no saved state". */
export function parseWindowState(value: unknown): WindowState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (![v.x, v.y, v.width, v.height].every(isFiniteNumber)) return undefined;
  if ((v.width as number) <= 0 || (v.height as number) <= 0) return undefined;
  return {
    x: Math.round(v.x as number),
    y: Math.round(v.y as number),
    width: Math.round(v.width as number),
    height: Math.round(v.height as number),
    maximized: v.maximized === true,
  };
}

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { w: Math.max(0, w), h: Math.max(0, h) };
}

function clampInto(bounds: Rect, area: Rect): Rect {
  const width = Math.min(Math.max(bounds.width, Math.min(MIN_SIZE.width, area.width)), area.width);
  const height = Math.min(Math.max(bounds.height, Math.min(MIN_SIZE.height, area.height)), area.height);
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

/**
 * Where to open the window, given the saved state and the work areas of the displays connected
 * now (`screen.getAllDisplays().map(d => d.workArea)`, primary first or passed separately).
 * The saved rectangle goes to the display it overlaps most; if it overlaps none enough to be
 * grabbed, the window is centred on the primary display with its saved size, shrunk to fit.
 */
export function restoreBounds(saved: WindowState | undefined, workAreas: readonly Rect[], primary: Rect): InitialBounds {
  if (!saved) {
    const { width, height } = clampInto({ x: primary.x, y: primary.y, ...DEFAULT_SIZE }, primary);
    return { width, height, maximized: false };
  }
  let best: Rect | undefined;
  let bestArea = 0;
  for (const area of workAreas) {
    const { w, h } = overlap(saved, area);
    if (w >= MIN_VISIBLE && h >= MIN_VISIBLE && w * h > bestArea) {
      best = area;
      bestArea = w * h;
    }
  }
  if (!best) {
    const { width, height } = clampInto({ x: primary.x, y: primary.y, width: saved.width, height: saved.height }, primary);
    return { width, height, maximized: saved.maximized };
  }
  return { ...clampInto(saved, best), maximized: saved.maximized };
}

export class WindowStateStore {
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, WINDOW_STATE_FILE);
  }

  load(): WindowState | undefined {
    try {
      return parseWindowState(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      return undefined;
    }
  }

  /** Synchronous and atomic (write a temp file, then rename): the file is tiny and may be written while quitting. */
  save(state: WindowState): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}

/** A trailing-edge debounce with `flush()` (run now if pending) and `cancel()`. */
export function debounce(fn: () => void, ms: number): { (): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    fn();
  };
  const debounced = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => run(), ms);
  };
  debounced.flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    run();
  };
  debounced.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return debounced;
}
