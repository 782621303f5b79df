/**
 * The app version arrives as a renderer command-line switch (`additionalArguments` in main):
 * a sandboxed preload has `process.argv` but no synchronous way to ask main cheaply.
 */
import type { VersionArgumentPrefix } from '../shared/ipc';

const PREFIX: VersionArgumentPrefix = '--mystocks-version=';

/** The version from `--mystocks-version=<v>` (last one wins), or '' when absent. */
export function versionFromArgv(argv: readonly string[]): string {
  let version = '';
  for (const arg of argv) {
    if (arg.startsWith(PREFIX)) version = arg.slice(PREFIX.length);
  }
  return version;
}
