import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ Menu: {}, Tray: class {}, nativeImage: {} }));

const { buildMenuTemplate } = await import('./menu');
const { trayIconFile, trayMenuTemplate } = await import('./tray');

const roles = (items: { role?: string; submenu?: unknown }[]) => items.map((i) => i.role ?? '');

describe('application menu', () => {
  it('macOS: app menu with quit, edit, view, window', () => {
    const t = buildMenuTemplate({ platform: 'darwin', isPackaged: true, appName: 'MyStocks Workstation' });
    expect(t[0]?.label).toBe('MyStocks Workstation');
    expect(roles(t[0]?.submenu as never)).toContain('quit');
    expect(roles(t)).toEqual(['', 'editMenu', '', 'windowMenu']);
  });

  it('Windows/Linux: File › Quit', () => {
    const t = buildMenuTemplate({ platform: 'win32', isPackaged: true, appName: 'x' });
    expect(t[0]).toEqual({ label: 'File', submenu: [{ role: 'quit' }] });
  });

  it('reload and devtools only in development', () => {
    const view = (isPackaged: boolean) => roles(buildMenuTemplate({ platform: 'linux', isPackaged, appName: 'x' })[2]?.submenu as never);
    expect(view(true)).not.toContain('toggleDevTools');
    expect(view(true)).not.toContain('reload');
    expect(view(false)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});

describe('tray', () => {
  it('picks the icon per platform', () => {
    const dir = path.join('res', 'icons');
    expect(trayIconFile(dir, 'darwin')).toBe(path.join(dir, 'trayTemplate.png'));
    expect(trayIconFile(dir, 'win32')).toBe(path.join(dir, 'icon.ico'));
    expect(trayIconFile(dir, 'linux')).toBe(path.join(dir, 'tray.png'));
  });

  it('Show and Quit call their actions', () => {
    const show = vi.fn();
    const quit = vi.fn();
    const items = trayMenuTemplate({ show, quit });
    const clickable = items.filter((i) => i.click);
    expect(clickable.map((i) => i.label)).toEqual(['Show MyStocks Workstation', 'Quit']);
    clickable[0]?.click?.({} as never, undefined, {} as never);
    clickable[1]?.click?.({} as never, undefined, {} as never);
    expect(show).toHaveBeenCalledOnce();
    expect(quit).toHaveBeenCalledOnce();
  });
});
