/**
 * Where things are, in development (`electron .` from the repository, running out/main/index.js)
 * and when packaged (electron-builder: app.asar plus `extraResources` next to it).
 * Pure functions of their inputs, so both layouts are unit-tested.
 *
 *   development                                  packaged (process.resourcesPath = R)
 *   <repo>/build/native/electron/better_sqlite3.node   R/native/better_sqlite3.node
 *   <repo>/resources/icons/tray.png                    R/resources/icons/tray.png
 *   out/preload/index.cjs, out/renderer/ (next to out/main in the repo or inside app.asar)
 */
import path from 'node:path';

export interface Layout {
  /** `app.isPackaged` */
  isPackaged: boolean;
  /** `process.resourcesPath` (meaningful when packaged) */
  resourcesPath: string;
  /** The repository root in development: two levels above out/main. */
  repoRoot: string;
}

/** better-sqlite3 compiled for Electron's ABI (scripts/native-electron.mjs builds the development one). */
export function nativeBindingPath(layout: Layout): string {
  return layout.isPackaged
    ? path.join(layout.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(layout.repoRoot, 'build', 'native', 'electron', 'better_sqlite3.node');
}

/** The `resources/` folder of the repository (icons, sample data, default settings). */
export function resourcesDir(layout: Layout): string {
  return layout.isPackaged ? path.join(layout.resourcesPath, 'resources') : path.join(layout.repoRoot, 'resources');
}

export function iconsDir(layout: Layout): string {
  return path.join(resourcesDir(layout), 'icons');
}

/** The bundled sample data imported on first launch (resources/sample-data, with its NOTICE). */
export function sampleDataDir(layout: Layout): string {
  return path.join(resourcesDir(layout), 'sample-data');
}

/** Build outputs relative to the directory of the running main bundle (out/main). */
export function buildOutputs(mainDir: string): { preload: string; rendererDir: string } {
  return {
    preload: path.join(mainDir, '..', 'preload', 'index.cjs'),
    rendererDir: path.join(mainDir, '..', 'renderer'),
  };
}

/**
 * The userData directory override for tests and side-by-side profiles
 * (`MYSTOCKS_USER_DATA_DIR`, resolved to an absolute path). `undefined` = Electron's default.
 */
export function userDataOverride(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const dir = env.MYSTOCKS_USER_DATA_DIR?.trim();
  return dir ? path.resolve(cwd, dir) : undefined;
}
