import { describe, expect, it, vi } from 'vitest';
import { choosePath, openDialogOptions } from './dialogs';

describe('choosePath', () => {
  it('asks for a folder or for files of the given extensions', () => {
    expect(openDialogOptions({ kind: 'folder' })).toEqual({ properties: ['openDirectory', 'dontAddToRecent'] });
    expect(openDialogOptions({ kind: 'file', extensions: ['csv', 'txt', '../x'] })).toEqual({
      properties: ['openFile', 'dontAddToRecent'],
      filters: [
        { name: 'CSV, TXT', extensions: ['csv', 'txt'] },
        { name: '*', extensions: ['*'] },
      ],
    });
    expect(() => openDialogOptions({ kind: 'anything' })).toThrow(/kind/);
    expect(() => openDialogOptions(null)).toThrow(/kind/);
  });

  it('returns the chosen path, or null when cancelled', async () => {
    const dialog = { showOpenDialog: vi.fn() };
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/me/vipdoc'] });
    await expect(choosePath(dialog as never, null, { kind: 'folder' })).resolves.toBe('/home/me/vipdoc');
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(choosePath(dialog as never, null, { kind: 'folder' })).resolves.toBeNull();
  });
});
