/**
 * Finds the files of an import: one file as given, or a folder walked recursively (symlinks are
 * not followed, so the walk stays inside the checked root). Runs in the import worker.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { tdxFileInfo } from '../../engine/import/tdx-binary';

export type SourceKind = 'tdx' | 'tdx-export' | 'csv';

export interface FoundFile {
  /** Absolute path. */
  path: string;
  /** Shown to the user: relative to the imported folder (or the file name). */
  display: string;
  size: number;
}

const MAX_DEPTH = 10;
const MAX_FILES = 200_000;

export function matches(kind: SourceKind, fileName: string): boolean {
  if (kind === 'tdx') return tdxFileInfo(fileName) !== undefined;
  if (kind === 'tdx-export') return /\.txt$/i.test(fileName);
  return true;
}

/** The files to import from `source` (a file or folder), sorted by path; `base` names them for display. */
export function discover(kind: SourceKind, source: string, base = source): FoundFile[] {
  const info = statSync(source);
  const display = (p: string) => (base === p ? path.basename(p) : path.relative(base, p).split(path.sep).join('/'));
  // A CSV import is one file (the route checked); anything else may be a folder.
  if (!info.isDirectory() || kind === 'csv') return [{ path: source, display: display(source), size: info.size }];
  const found: FoundFile[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.isFile() && matches(kind, entry.name) && found.length < MAX_FILES) {
        found.push({ path: full, display: display(full), size: lstatSync(full).size });
      }
    }
  };
  walk(source, 0);
  return found;
}
