/**
 * The built Electron main process (out/main/index.js) run under plain Node with a stand-in for the
 * `electron` module (tests/electron/fake-electron). Where the Electron binary cannot be installed,
 * this still checks the real bundle: ESM output and its imports, the paths it derives
 * (preload, renderer, icons, native binding), the embedded server started before the window,
 * the IPC sender check, the security wiring, and the graceful shutdown on SIGTERM.
 * better-sqlite3's Node build stands in for the Electron build at build/native/electron.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '../..');
const register = path.join(import.meta.dirname, 'fake-electron', 'register.mjs');
const nodeBinding = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

type Event = { event: string } & Record<string, unknown>;

/** A throw-away copy of the app layout: out/, package.json, resources and node_modules linked. */
function stageApp(withBinding: boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mystocks-main-bundle-'));
  cpSync(path.join(root, 'out'), path.join(dir, 'out'), { recursive: true });
  cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  symlinkSync(path.join(root, 'resources'), path.join(dir, 'resources'), 'junction');
  if (withBinding) {
    mkdirSync(path.join(dir, 'build', 'native', 'electron'), { recursive: true });
    cpSync(nodeBinding, path.join(dir, 'build', 'native', 'electron', 'better_sqlite3.node'));
  }
  return { dir, userData: path.join(dir, 'profile'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function runMain(dir: string, userData: string, until: (events: Event[]) => boolean, then: (child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, ['--import', register, path.join(dir, 'out', 'main', 'index.js')], {
    cwd: dir,
    env: { ...process.env, MYSTOCKS_USER_DATA_DIR: userData },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Event[] = [];
  let output = '';
  let triggered = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) {
      const m = /^@@fake-electron (.*)$/.exec(line);
      if (m) events.push(JSON.parse(m[1]!) as Event);
    }
    if (!triggered && until(events)) {
      triggered = true;
      then(child);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return exited.then((code) => {
    clearTimeout(timer);
    return { code, events, output };
  });
}

const find = (events: Event[], name: string) => events.find((e) => e.event === name);

test.beforeAll(() => {
  expect(existsSync(path.join(root, 'out', 'main', 'index.js')), 'the app is not built: run `npx electron-vite build`').toBe(true);
});

test('the built main process starts the server, opens the window on it, and shuts down gracefully on SIGTERM', async () => {
  test.skip(!existsSync(nodeBinding), 'better-sqlite3 has no Node build in node_modules');
  const app = stageApp(true);
  try {
    const { code, events, output } = await runMain(app.dir, app.userData, (ev) => Boolean(find(ev, 'window.show')), (child) => child.kill('SIGTERM'));
    const names = events.map((e) => e.event);
    expect(code, output).toBe(0);

    // Before 'ready': the userData override and the single-instance lock.
    expect(find(events, 'app.setPath')).toMatchObject({ name: 'userData', value: app.userData, ready: false });
    expect(find(events, 'app.requestSingleInstanceLock')).toMatchObject({ ready: false });

    // The window: created after the server (its origin is loaded), hardened, with a preload that exists.
    const win = find(events, 'window.create')!;
    expect(win).toMatchObject({ preloadExists: true, iconExists: true, appReady: true });
    expect(win.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, spellcheck: false, additionalArguments: ['--mystocks-version=0.1.0'] });
    expect(String((win.webPreferences as { preload: string }).preload)).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    const load = find(events, 'window.loadURL')!;
    expect(load.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(names.indexOf('ipc.handle')).toBeLessThan(names.indexOf('window.create'));

    // The page came from the embedded server with its CSP; the IPC answered the page and refused a foreign frame.
    expect(find(events, 'renderer.page')).toMatchObject({ status: 200, title: expect.stringMatching(/MyStocks/) });
    expect(String(find(events, 'renderer.page')!.csp)).toContain("default-src 'self'");
    expect(find(events, 'renderer.ipc')).toMatchObject({ origin: new URL(String(load.url)).origin, healthStatus: 200, withoutTokenStatus: 401 });
    expect(Number(find(events, 'renderer.ipc')!.tokenLength)).toBeGreaterThanOrEqual(43);
    expect(String(find(events, 'renderer.ipc')!.foreign)).toMatch(/^rejected/);
    expect(find(events, 'security')).toEqual({ event: 'security', navigationBlocked: true, windowOpen: 'deny', mediaPermission: false });
    expect(find(events, 'nativeImage.createFromPath')).toMatchObject({ exists: true });

    // A test alert became one native notification (from the server's bus, in main); its click
    // revealed the window and told the page to open the alert.
    const alertId = find(events, 'renderer.alert')!.id;
    expect(find(events, 'renderer.alert')).toMatchObject({ status: 201 });
    expect(events.filter((e) => e.event === 'notification.show')).toEqual([
      { event: 'notification.show', options: expect.objectContaining({ title: expect.stringContaining('test alert'), urgency: 'critical', silent: false }) },
    ]);
    expect(find(events, 'webContents.send')).toEqual({ event: 'webContents.send', channel: 'alerts:open', payload: { alertId } });

    // SIGTERM → app.quit → windows destroyed, tray removed, server closed, exit(0).
    expect(names.slice(names.indexOf('app.quit'))).toEqual(expect.arrayContaining(['window.destroy', 'tray.destroy', 'app.exit']));
    expect(find(events, 'app.exit')).toMatchObject({ code: 0 });
    expect(existsSync(path.join(app.userData, 'mystocks.db'))).toBe(true);
    expect(existsSync(path.join(app.userData, 'window-state.json'))).toBe(true);
    expect(existsSync(path.join(app.userData, 'mystocks.db-wal')) ? 'WAL left behind' : 'closed').toBe('closed');
  } finally {
    app.remove();
  }
});

test('without the Electron build of better-sqlite3 the app explains what to run and exits 1, opening no window', async () => {
  const app = stageApp(false);
  try {
    const { code, events } = await runMain(app.dir, app.userData, () => false, () => {});
    expect(code).toBe(1);
    expect(String(find(events, 'dialog.showErrorBox')?.content)).toContain('npm run rebuild:electron');
    expect(find(events, 'window.create')).toBeUndefined();
  } finally {
    app.remove();
  }
});
