/**
 * Paths from the user are checked against the allowed import roots (docs/ARCHITECTURE.md, "Security"): absolute,
 * inside a root both as written and after resolving symlinks (so a link cannot lead out; a root
 * reached through a link, like macOS's /tmp, still works), with a separator-aware prefix test
 * (`/home/u2` is not inside `/home/u`). Roots are resolved once.
 */
import { realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../platform/errors';

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
const key = (p: string) => (caseInsensitive ? p.toLowerCase() : p);

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

export function isInside(p: string, root: string): boolean {
  const a = key(p);
  const r = key(root);
  if (a === r) return true;
  return a.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
}

export interface CheckedPath {
  /** The real path (symlinks resolved). */
  path: string;
  isDirectory: boolean;
  size: number;
}

export class ImportRoots {
  /** The roots as given (absolute), for messages. */
  readonly roots: readonly string[];
  /** The roots as given and with symlinks resolved (a root may itself be reached through a link). */
  private readonly written: readonly string[];
  private readonly real: readonly string[];

  constructor(roots: readonly string[]) {
    this.roots = [...new Set(roots.filter((r) => r.trim() !== '').map((r) => path.resolve(r)))];
    this.real = [...new Set(this.roots.map(realOrSelf))];
    this.written = [...new Set([...this.roots, ...this.real])];
  }

  /** The real path of an existing file or folder inside a root; AppError otherwise. */
  async check(userPath: string, field = 'body.path'): Promise<CheckedPath> {
    if (userPath.includes('\0') || !path.isAbsolute(userPath)) {
      throw new AppError('VALIDATION_ERROR', [{ field, message: 'must be an absolute path' }]);
    }
    const resolved = path.resolve(userPath);
    const notAllowed = () =>
      new AppError('PATH_NOT_ALLOWED', [{ field, message: `${resolved} is not inside an allowed import folder (${this.roots.join(', ') || 'none configured'})` }]);
    if (!this.written.some((root) => isInside(resolved, root))) throw notAllowed();
    let real: string;
    try {
      real = await realpath(resolved);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new AppError('NOT_FOUND', [{ field, message: code === 'ENOENT' || code === 'ENOTDIR' ? `${resolved} does not exist` : `${resolved} cannot be read (${code})` }]);
    }
    if (!this.real.some((root) => isInside(real, root))) throw notAllowed();
    const info = await stat(real);
    return { path: real, isDirectory: info.isDirectory(), size: info.size };
  }
}
