/**
 * ../shared/data: real market data and reference outputs kept beside the repository, not in it
 * (tests and benchmarks only; see its README.md). A plain clone has no such folder: the tests that
 * read it are then skipped, with the reason printed, and everything else runs.
 *
 * MYSTOCKS_REQUIRE_SHARED_DATA=1 (.ci/run sets it where ../shared/data exists) turns the skip into
 * a failure: importing this module throws when the folder is absent, so CI with the data can
 * never pass with those tests skipped.
 *
 * Vitest: `describe.skipIf(noData)` / `it.skipIf(noData)`; Playwright: `test.skip(noData, sharedDataSkipReason)`,
 * with `const noData = skipWithoutSharedData('what this file skips')`.
 * No runner is imported here, so Vitest tests and Playwright specs share it.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

const expected = path.resolve(import.meta.dirname, '../../../shared/data');

/** Whether ../shared/data exists. */
export const hasSharedData = existsSync(expected);

/** ../shared/data as a real path (CI may reach ../shared through a link), or where it is expected. */
export const sharedDataDir = hasSharedData ? realpathSync(expected) : expected;

/** Why a test was skipped. */
export const sharedDataSkipReason = `../shared/data is absent (tests-only reference data, expected at ${expected}); skipped`;

if (!hasSharedData && process.env.MYSTOCKS_REQUIRE_SHARED_DATA === '1') {
  throw new Error(`MYSTOCKS_REQUIRE_SHARED_DATA=1 but ${expected} is absent: the tests that read it would be skipped`);
}

/** A path inside ../shared/data. */
export function sharedDataPath(...parts: string[]): string {
  return path.join(sharedDataDir, ...parts);
}

/**
 * True when the tests that read ../shared/data must be skipped (the folder is absent); then also
 * prints the reason on stderr, naming `what` is skipped. Call it once per test file.
 */
export function skipWithoutSharedData(what: string): boolean {
  if (!hasSharedData) console.warn(`[shared-data] ${what}: ${sharedDataSkipReason}`);
  return !hasSharedData;
}
