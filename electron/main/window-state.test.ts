import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounce, DEFAULT_SIZE, MIN_SIZE, parseWindowState, restoreBounds, WindowStateStore } from './window-state';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('parseWindowState', () => {
  it('accepts a valid state, rounding numbers', () => {
    expect(parseWindowState({ x: 10.4, y: 20, width: 1200, height: 800.6, maximized: true })).toEqual({ x: 10, y: 20, width: 1200, height: 801, maximized: true });
    expect(parseWindowState({ x: -5, y: 0, width: 1, height: 1 })?.maximized).toBe(false);
  });

  it.each([null, 'x', 42, {}, { x: 0, y: 0, width: 0, height: 10 }, { x: 0, y: 0, width: 10, height: -1 }, { x: 'a', y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: Infinity, height: 10 }])(
    'refuses %j',
    (value) => {
      expect(parseWindowState(value)).toBeUndefined();
    },
  );
});

describe('restoreBounds', () => {
  it('without saved state: default size, centred by the OS', () => {
    expect(restoreBounds(undefined, [primary], primary)).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it('without saved state on a small screen: shrunk to the work area', () => {
    const small = { x: 0, y: 0, width: 1280, height: 720 };
    expect(restoreBounds(undefined, [small], small)).toEqual({ width: 1280, height: 720, maximized: false });
  });

  it('keeps a window that fits where it was', () => {
    const saved = { x: 100, y: 50, width: 1400, height: 900, maximized: false };
    expect(restoreBounds(saved, [primary, right], primary)).toEqual(saved);
  });

  it('keeps the maximized flag', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1400, height: 900, maximized: true }, [primary], primary).maximized).toBe(true);
  });

  it('restores onto the secondary display it was on', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: false };
    expect(restoreBounds(saved, [primary, right], primary)).toEqual(saved);
  });

  it('pulls a window hanging off the edge back inside the display it overlaps most', () => {
    const saved = { x: 1500, y: -200, width: 1400, height: 900, maximized: false };
    // Overlaps the primary 420 px wide and the right display 980 px: goes right, clamped to y ≥ 0.
    expect(restoreBounds(saved, [primary, right], primary)).toEqual({ x: 1920, y: 0, width: 1400, height: 900, maximized: false });
  });

  it('a window on an unplugged monitor comes back centred on the primary display, shrunk to fit', () => {
    const saved = { x: 5000, y: 100, width: 2400, height: 1300, maximized: false };
    expect(restoreBounds(saved, [primary], primary)).toEqual({ width: 1920, height: 1040, maximized: false });
  });

  it('a sliver that cannot be grabbed counts as off-screen', () => {
    const saved = { x: 1900, y: 100, width: 1200, height: 800, maximized: false };
    const bounds = restoreBounds(saved, [primary], primary);
    expect(bounds.x).toBeUndefined();
    expect(bounds).toMatchObject({ width: 1200, height: 800 });
  });

  it('grows a saved window smaller than the minimum size', () => {
    const saved = { x: 10, y: 10, width: 300, height: 200, maximized: false };
    expect(restoreBounds(saved, [primary], primary)).toEqual({ x: 10, y: 10, ...MIN_SIZE, maximized: false });
  });

  it('never exceeds a display smaller than the minimum size', () => {
    const tiny = { x: 0, y: 0, width: 800, height: 600 };
    expect(restoreBounds({ x: 0, y: 0, width: 1400, height: 900, maximized: false }, [tiny], tiny)).toEqual({ x: 0, y: 0, width: 800, height: 600, maximized: false });
  });
});

describe('WindowStateStore', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips through window-state.json and ignores a corrupt file', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mystocks-ws-'));
    const store = new WindowStateStore(path.join(dir, 'nested'));
    expect(store.load()).toBeUndefined();
    const state = { x: 1, y: 2, width: 1300, height: 800, maximized: true };
    store.save(state);
    expect(store.load()).toEqual(state);
    expect(JSON.parse(readFileSync(store.file, 'utf8'))).toEqual(state);
    writeFileSync(store.file, '{ not json');
    expect(store.load()).toBeUndefined();
  });
});

describe('debounce', () => {
  it('runs once after the last call; flush runs a pending call now; cancel drops it', () => {
    vi.useFakeTimers();
    try {
      const fn = vi.fn();
      const d = debounce(fn, 500);
      d();
      d();
      vi.advanceTimersByTime(499);
      d();
      vi.advanceTimersByTime(499);
      expect(fn).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(fn).toHaveBeenCalledOnce();

      d();
      d.flush();
      expect(fn).toHaveBeenCalledTimes(2);
      d.flush();
      expect(fn).toHaveBeenCalledTimes(2);

      d();
      d.cancel();
      vi.advanceTimersByTime(1000);
      expect(fn).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
