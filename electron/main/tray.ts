/**
 * The tray icon: Show / Quit. On Windows and Linux closing the window quits the app (simple and
 * predictable), so the tray is a convenience; on macOS the window hides on close and the tray
 * (menu-bar extra) brings it back, as the dock icon does.
 */
import path from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';

/** The icon file for the platform: a template image on macOS, the multi-size .ico on Windows. */
export function trayIconFile(iconsDir: string, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return path.join(iconsDir, 'trayTemplate.png');
  if (platform === 'win32') return path.join(iconsDir, 'icon.ico');
  return path.join(iconsDir, 'tray.png');
}

export interface TrayActions {
  show: () => void;
  quit: () => void;
}

export function trayMenuTemplate(actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Show MyStocks Workstation', click: () => actions.show() },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit() },
  ];
}

export function createTray(iconsDir: string, actions: TrayActions): Tray {
  const image = nativeImage.createFromPath(trayIconFile(iconsDir, process.platform));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  tray.setToolTip('MyStocks Workstation');
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(actions)));
  // Windows/Linux: a left click shows the window (macOS opens the menu instead).
  if (process.platform !== 'darwin') tray.on('click', () => actions.show());
  return tray;
}
