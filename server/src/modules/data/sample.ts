/**
 * The bundled sample data (resources/sample-data: real TDX files and TDX exports, see its NOTICE),
 * imported on first launch so the app opens with real charts offline. "First launch" = the cache
 * knows no instrument yet and the sample was never imported (a flag in the `app_state` table, apart
 * from the user's settings). The import runs as a `sample` task in the background.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../platform/db/database';
import { KeyValueTable } from '../../platform/db/kv';
import type { ImportJobSpec, ImportSource } from './import-job';

export const SAMPLE_FLAG = 'sampleDataImported';

export interface SampleManifest {
  version: number;
  /** Names of instruments whose files carry none (TDX binary files). */
  names: Record<string, string>;
  imports: { kind: 'tdx' | 'tdx-export'; path: string }[];
}

/** The sample's import job, or undefined when the folder or its manifest is missing or broken. */
export function sampleJob(dir: string): { spec: ImportJobSpec; manifest: SampleManifest } | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as SampleManifest;
  if (!Array.isArray(manifest.imports)) return undefined;
  const sources: ImportSource[] = manifest.imports
    .map((entry) => ({ kind: entry.kind, path: path.join(dir, entry.path), base: dir }))
    .filter((source) => path.resolve(source.path).startsWith(path.resolve(dir) + path.sep) && existsSync(source.path));
  if (sources.length === 0) return undefined;
  return { spec: { sources, names: manifest.names ?? {} }, manifest };
}

/** The first-launch flag: app state (the `app_state` table), which a settings reset leaves alone. */
export class SampleState {
  private readonly table;

  constructor(db: Db) {
    this.table = new KeyValueTable(db, 'app_state');
  }

  imported(): boolean {
    return this.table.has(SAMPLE_FLAG);
  }

  markImported(version: number): void {
    this.table.set(SAMPLE_FLAG, { version, at: new Date().toISOString() });
  }
}
