/**
 * A stand-in for the `electron` module, just enough to run the built main process
 * (out/main/index.js) under plain Node where the Electron binary is not installed.
 * Every interesting call is reported as one JSON line on stdout: `@@fake-electron {...}`.
 *
 * The window's loadURL() plays the renderer: it fetches the page from the embedded server,
 * asks main for the server info over the (fake) IPC the way the preload would, and calls the API
 * with the token. Nothing here is used by the real app.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const report = (event, data = {}) => process.stdout.write(`@@fake-electron ${JSON.stringify({ event, ...data })}\n`);

const handlers = new Map();
export const ipcMain = {
  handle(channel, fn) {
    handlers.set(channel, fn);
    report('ipc.handle', { channel });
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
};

class App extends EventEmitter {
  isPackaged = false;
  paths = new Map();
  ready = false;
  setPath(name, value) {
    this.paths.set(name, value);
    report('app.setPath', { name, value, ready: this.ready });
  }
  getPath(name) {
    return this.paths.get(name) ?? path.join(process.cwd(), `.fake-${name}`);
  }
  requestSingleInstanceLock() {
    report('app.requestSingleInstanceLock', { ready: this.ready });
    return true;
  }
  whenReady() {
    return new Promise((resolve) =>
      setTimeout(() => {
        this.ready = true;
        report('app.ready');
        resolve();
      }, 20),
    );
  }
  getVersion() {
    return JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')).version;
  }
  setAppUserModelId() {}
  quit() {
    report('app.quit');
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exit(0);
  }
  exit(code = 0) {
    report('app.exit', { code });
    process.exit(code);
  }
}
export const app = new App();

export const dialog = {
  showErrorBox(title, content) {
    report('dialog.showErrorBox', { title, content });
  },
};

export const shell = { openExternal: async (url) => report('shell.openExternal', { url }) };

const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
export const screen = { getAllDisplays: () => [{ workArea }], getPrimaryDisplay: () => ({ workArea }) };

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => report('Menu.setApplicationMenu', { items: menu.template.length }),
};

export const nativeImage = {
  createFromPath(file) {
    report('nativeImage.createFromPath', { file, exists: existsSync(file) });
    return { setTemplateImage() {} };
  },
};

export class Tray extends EventEmitter {
  constructor(image) {
    super();
    report('tray.create', { hasImage: Boolean(image) });
  }
  setToolTip() {}
  setContextMenu() {}
  destroy() {
    report('tray.destroy');
  }
}

/** Native notifications: shown ones are reported, and clicked at once (as a user would). */
export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    report('notification.show', { options: this.options });
    setImmediate(() => this.emit('click'));
  }
}

const permissionHandlers = {};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h) => (permissionHandlers.request = h),
    setPermissionCheckHandler: (h) => (permissionHandlers.check = h),
    setDevicePermissionHandler: (h) => (permissionHandlers.device = h),
  },
};

class WebContents extends EventEmitter {
  windowOpenHandler;
  setWindowOpenHandler(h) {
    this.windowOpenHandler = h;
  }
  reload() {}
  send(channel, payload) {
    report('webContents.send', { channel, payload });
  }
}

const windows = [];
export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed);
  }
  destroyed = false;
  visible = false;
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    windows.push(this);
    const wp = options.webPreferences ?? {};
    report('window.create', {
      webPreferences: wp,
      preloadExists: existsSync(wp.preload),
      iconExists: options.icon ? existsSync(options.icon) : null,
      bounds: { x: options.x, y: options.y, width: options.width, height: options.height },
      appReady: app.ready,
    });
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    report('window.loadURL', { url });
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    report('renderer.page', { status: page.status, csp: page.headers.get('content-security-policy'), title: /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? null });

    // What the preload does: invoke app:server-info from a frame of the page…
    const info = await handlers.get('app:server-info')({ senderFrame: { url } });
    // …and what a foreign frame would get.
    let foreign = 'accepted';
    try {
      await handlers.get('app:server-info')({ senderFrame: { url: 'https://evil.example/' } });
    } catch (err) {
      foreign = `rejected: ${err.message}`;
    }
    const health = await fetch(`${info.origin}/api/system/health`, { headers: { authorization: `Bearer ${info.token}` } });
    const unauthorised = await fetch(`${info.origin}/api/system/health`);
    report('renderer.ipc', { origin: info.origin, tokenLength: info.token.length, foreign, healthStatus: health.status, withoutTokenStatus: unauthorised.status });

    // Security wiring applied to this WebContents.
    const nav = { url: 'https://evil.example/', prevented: false, preventDefault() { this.prevented = true; } };
    this.webContents.emit('will-navigate', nav);
    const open = this.webContents.windowOpenHandler?.({ url: 'https://evil.example/' });
    const permission = await new Promise((r) => permissionHandlers.request?.(this.webContents, 'media', r, { requestingUrl: url }));
    report('security', { navigationBlocked: nav.prevented, windowOpen: open?.action ?? null, mediaPermission: permission });

    // A test alert: main shows it natively from the server's bus (the click reveals the window).
    const test = await fetch(`${info.origin}/api/alerts/test`, { method: 'POST', headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ severity: 'critical' }) });
    report('renderer.alert', { status: test.status, id: (await test.json()).data?.id });

    this.emit('ready-to-show');
  }
  show() {
    this.visible = true;
    report('window.show');
  }
  hide() {
    this.visible = false;
  }
  maximize() {}
  isMaximized() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  isVisible() {
    return this.visible;
  }
  focus() {}
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return { x: this.options.x ?? 100, y: this.options.y ?? 80, width: this.options.width, height: this.options.height };
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    report('window.destroy');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}
