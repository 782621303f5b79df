/**
 * Native open dialogs for the renderer (the import wizard's Browse button). The request comes from
 * the page, so it is checked like any untrusted input; the path returned is whatever the user
 * chose, and the server still checks it against its allowed import folders.
 */
import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { ChoosePathRequest } from '../shared/ipc';

export function openDialogOptions(request: unknown): OpenDialogOptions {
  const r = request as Partial<ChoosePathRequest> | null;
  if (r?.kind === 'folder') return { properties: ['openDirectory', 'dontAddToRecent'] };
  if (r?.kind === 'file') {
    const extensions = Array.isArray(r.extensions) ? r.extensions.filter((e) => typeof e === 'string' && /^[a-z0-9]{1,8}$/i.test(e)) : [];
    return {
      properties: ['openFile', 'dontAddToRecent'],
      ...(extensions.length > 0 ? { filters: [{ name: extensions.map((e) => e.toUpperCase()).join(', '), extensions }, { name: '*', extensions: ['*'] }] } : {}),
    };
  }
  throw new Error('choose-path: kind must be "folder" or "file"');
}

export async function choosePath(dialog: Pick<Dialog, 'showOpenDialog'>, parent: BrowserWindow | null, request: unknown): Promise<string | null> {
  const options = openDialogOptions(request);
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
