/**
 * Engine code for benches, bundled with esbuild first, so the measured code is the JS an app
 * build runs (not tsx's on-the-fly transform). `contents` is an entry module's source, resolved
 * from `resolveDir`; the bundle goes to a temporary folder removed at exit (unless `keep`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, stop as stopEsbuild } from 'esbuild';

export async function importBundled({ name, contents, resolveDir, keep = false }) {
  const work = mkdtempSync(path.join(tmpdir(), `mystocks-bench-${name}-`));
  if (!keep) process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const outfile = path.join(work, `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir, sourcefile: `bench-${name}-entry.ts`, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  // Its service process would otherwise idle alongside the measurements.
  await stopEsbuild();
  return { module: await import(pathToFileURL(outfile).href), outfile };
}
