import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WindowStateStore } from './window-state';

const fake = vi.hoisted(() => ({ windows: [] as unknown[] }));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class BrowserWindow extends Emitter {
    options: Record<string, unknown>;
    bounds = { x: 0, y: 0, width: 0, height: 0 };
    maximized = false;
    visible = false;
    minimized = false;
    destroyed = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      this.bounds = { x: (options.x as number) ?? 0, y: (options.y as number) ?? 0, width: options.width as number, height: options.height as number };
      fake.windows.push(this);
    }
    show() { this.visible = true; }
    hide() { this.visible = false; }
    maximize() { this.maximized = true; }
    isMaximized() { return this.maximized; }
    isMinimized() { return this.minimized; }
    restore() { this.minimized = false; }
    isVisible() { return this.visible; }
    focus() {}
    isDestroyed() { return this.destroyed; }
    getNormalBounds() { return { ...this.bounds }; }
  }
  const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
  return {
    BrowserWindow,
    screen: { getAllDisplays: () => [{ workArea }], getPrimaryDisplay: () => ({ workArea }) },
  };
});

const { createMainWindow, revealWindow, versionArgument } = await import('./window');

type FakeWindow = EventEmitter & {
  options: Record<string, unknown> & { webPreferences: Record<string, unknown> };
  bounds: { x: number; y: number; width: number; height: number };
  maximized: boolean;
  visible: boolean;
  minimized: boolean;
};

describe('createMainWindow', () => {
  let dir: string;
  let store: WindowStateStore;
  beforeEach(() => {
    fake.windows.length = 0;
    dir = mkdtempSync(path.join(os.tmpdir(), 'mystocks-win-'));
    store = new WindowStateStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const create = (hideOnClose = false) => {
    const { win, saveState } = createMainWindow({ preload: '/app/out/preload/index.cjs', appVersion: '0.1.0', icon: '/icons/icon.png', stateStore: store, hideOnClose: () => hideOnClose });
    return { win: win as unknown as FakeWindow, saveState };
  };

  it('creates a sandboxed, isolated window with the CommonJS preload', () => {
    const { win } = create();
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      additionalArguments: ['--mystocks-version=0.1.0'],
    });
    expect(versionArgument('1.2.3-beta.1')).toBe('--mystocks-version=1.2.3-beta.1');
  });

  it('opens centred at the default size the first time, shows on ready-to-show', () => {
    const { win } = create();
    expect(win.options).toMatchObject({ center: true, width: 1440, height: 900, minWidth: 1024, minHeight: 640 });
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
    expect(win.maximized).toBe(false);
  });

  it('restores saved bounds and maximizes when it was maximized', () => {
    store.save({ x: 40, y: 30, width: 1300, height: 820, maximized: true });
    const { win } = create();
    expect(win.options).toMatchObject({ x: 40, y: 30, width: 1300, height: 820 });
    win.emit('ready-to-show');
    expect(win.maximized).toBe(true);
  });

  it('saves bounds after moves (debounced) and at once on close', () => {
    vi.useFakeTimers();
    try {
      const { win } = create();
      win.bounds = { x: 5, y: 6, width: 1111, height: 777 };
      win.emit('move');
      win.emit('resize');
      expect(store.load()).toBeUndefined();
      vi.advanceTimersByTime(500);
      expect(store.load()).toEqual({ x: 5, y: 6, width: 1111, height: 777, maximized: false });

      win.bounds = { x: 9, y: 9, width: 1200, height: 700 };
      win.maximized = true;
      win.emit('close', { preventDefault() {} });
      expect(store.load()).toEqual({ x: 9, y: 9, width: 1200, height: 700, maximized: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('saveState() writes now (quitting destroys windows without a close event)', () => {
    const { win, saveState } = create();
    win.bounds = { x: 1, y: 2, width: 1234, height: 765 };
    saveState();
    expect(store.load()).toMatchObject({ x: 1, y: 2, width: 1234, height: 765 });
  });

  it('hides instead of closing when asked (macOS), closes otherwise', () => {
    const hidden = create(true).win;
    hidden.visible = true;
    const event = { preventDefault: vi.fn() };
    hidden.emit('close', event);
    expect(event.preventDefault).toHaveBeenCalledOnce();
    expect(hidden.visible).toBe(false);

    const closing = create(false).win;
    const event2 = { preventDefault: vi.fn() };
    closing.emit('close', event2);
    expect(event2.preventDefault).not.toHaveBeenCalled();
  });

  it('revealWindow restores, shows and focuses; ignores a missing window', () => {
    const { win } = create();
    win.minimized = true;
    revealWindow(win as never);
    expect(win.minimized).toBe(false);
    expect(win.visible).toBe(true);
    expect(() => revealWindow(undefined)).not.toThrow();
  });
});
