import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOutputs, iconsDir, nativeBindingPath, resourcesDir, sampleDataDir, userDataOverride } from './paths';

const dev = { isPackaged: false, resourcesPath: '/ignored', repoRoot: path.resolve('/repo') };
const packaged = { isPackaged: true, resourcesPath: path.resolve('/opt/MyStocks/resources'), repoRoot: '/ignored' };

describe('paths', () => {
  it('finds the Electron build of better-sqlite3', () => {
    expect(nativeBindingPath(dev)).toBe(path.join(dev.repoRoot, 'build', 'native', 'electron', 'better_sqlite3.node'));
    expect(nativeBindingPath(packaged)).toBe(path.join(packaged.resourcesPath, 'native', 'better_sqlite3.node'));
  });

  it('finds resources and icons (extraResources when packaged)', () => {
    expect(resourcesDir(dev)).toBe(path.join(dev.repoRoot, 'resources'));
    expect(iconsDir(dev)).toBe(path.join(dev.repoRoot, 'resources', 'icons'));
    expect(iconsDir(packaged)).toBe(path.join(packaged.resourcesPath, 'resources', 'icons'));
  });

  it('finds the bundled sample data, and the repository has it with its NOTICE', async () => {
    const { existsSync } = await import('node:fs');
    expect(sampleDataDir(dev)).toBe(path.join(dev.repoRoot, 'resources', 'sample-data'));
    expect(sampleDataDir(packaged)).toBe(path.join(packaged.resourcesPath, 'resources', 'sample-data'));
    const repoRoot = path.resolve(import.meta.dirname, '..', '..');
    for (const f of ['NOTICE', 'manifest.json', 'tdx/vipdoc/sh/lday/sh600000.day']) {
      expect(existsSync(path.join(sampleDataDir({ ...dev, repoRoot }), f)), f).toBe(true);
    }
  });

  it('derives the preload and renderer from out/main', () => {
    const main = path.resolve('/app.asar/out/main');
    expect(buildOutputs(main)).toEqual({
      preload: path.resolve('/app.asar/out/preload/index.cjs'),
      rendererDir: path.resolve('/app.asar/out/renderer'),
    });
  });

  it('the repository really has the icons the tray and window use', async () => {
    const { existsSync } = await import('node:fs');
    const repoRoot = path.resolve(import.meta.dirname, '..', '..');
    for (const f of ['icon.png', 'icon.ico', 'tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) {
      expect(existsSync(path.join(iconsDir({ ...dev, repoRoot }), f)), f).toBe(true);
    }
  });

  it('honours MYSTOCKS_USER_DATA_DIR, resolved against the working directory', () => {
    const cwd = path.resolve('/work');
    expect(userDataOverride({}, cwd)).toBeUndefined();
    expect(userDataOverride({ MYSTOCKS_USER_DATA_DIR: '  ' }, cwd)).toBeUndefined();
    expect(userDataOverride({ MYSTOCKS_USER_DATA_DIR: 'tmp/profile' }, cwd)).toBe(path.join(cwd, 'tmp', 'profile'));
    expect(userDataOverride({ MYSTOCKS_USER_DATA_DIR: path.resolve('/abs/dir') }, cwd)).toBe(path.resolve('/abs/dir'));
  });
});
