#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into build/native/electron/better_sqlite3.node, which
 * Electron main loads through better-sqlite3's `nativeBinding` option (electron/main/paths.ts).
 *
 * node_modules/better-sqlite3/build stays the build for Node's ABI (tests, `npm run serve`): the
 * package is copied to a temporary directory and built there, never in place.
 *
 *   node scripts/native-electron.mjs           skip when the stamp matches (Electron and better-sqlite3 versions, platform, arch)
 *   node scripts/native-electron.mjs --force   rebuild anyway (npm run rebuild:electron)
 *
 * Steps: 1. prebuild-install --runtime electron (downloads the prebuilt binary from better-sqlite3's
 * GitHub release); 2. otherwise node-gyp with Electron's headers (https://electronjs.org/headers;
 * needs a C++ toolchain). The result is checked to be an Electron-ABI module before it is installed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const outDir = path.join(root, 'build', 'native', 'electron');
const outFile = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'stamp.json');
const force = process.argv.includes('--force');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const log = (msg) => console.log(`[native-electron] ${msg}`);

class BuildError extends Error {
  constructor(lines) {
    super(lines.join('\n'));
    this.lines = lines;
  }
}
function fail(lines) {
  throw new BuildError(lines);
}

function main() {
  const electronPkgFile = path.join(root, 'node_modules', 'electron', 'package.json');
  const sqlitePkgDir = path.join(root, 'node_modules', 'better-sqlite3');
  if (!existsSync(electronPkgFile)) fail(['node_modules/electron is missing: run `npm ci` first.']);
  if (!existsSync(path.join(sqlitePkgDir, 'package.json'))) fail(['node_modules/better-sqlite3 is missing: run `npm ci` first.']);

  const electronVersion = readJson(electronPkgFile).version;
  const abiFile = path.join(root, 'node_modules', 'electron', 'abi_version');
  const electronAbi = existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : undefined;
  const sqliteVersion = readJson(path.join(sqlitePkgDir, 'package.json')).version;
  const platform = process.env.npm_config_platform || process.platform;
  const arch = process.env.npm_config_arch || process.arch;
  const stamp = { electron: electronVersion, abi: electronAbi ?? null, betterSqlite3: sqliteVersion, platform, arch };

  if (!force && existsSync(outFile) && existsSync(stampFile)) {
    try {
      const current = readJson(stampFile);
      if (Object.entries(stamp).every(([k, v]) => current[k] === v)) {
        log(`up to date: better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${platform}-${arch})`);
        return;
      }
    } catch {
      // unreadable stamp: rebuild
    }
  }

  log(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}${electronAbi ? ` (ABI ${electronAbi})` : ''}, ${platform}-${arch}`);

  /**
   * The child environment: without npm's `nodedir` (this project's machines set `nodedir=/usr` so
   * Node builds find Node's headers; node-gyp would then silently build against Node's ABI instead
   * of Electron's) and with the runtime/target that prebuild-install and node-gyp read.
   */
  function childEnv() {
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
      const k = key.toLowerCase();
      if (k === 'npm_config_build_from_source' || k === 'npm_config_nodedir' || k === 'npm_config_node_gyp_nodedir' || k === 'npm_config_target' || k === 'npm_config_runtime' || k === 'npm_config_disturl' || k === 'npm_config_dist_url') delete env[key];
    }
    return {
      ...env,
      npm_config_runtime: 'electron',
      npm_config_target: electronVersion,
      npm_config_disturl: 'https://electronjs.org/headers',
      npm_config_arch: arch,
    };
  }

  function binOf(pkg, bin) {
    try {
      const pkgJson = require.resolve(`${pkg}/package.json`);
      const meta = readJson(pkgJson);
      const rel = typeof meta.bin === 'string' ? meta.bin : meta.bin?.[bin ?? pkg];
      return rel ? path.join(path.dirname(pkgJson), rel) : undefined;
    } catch {
      return undefined;
    }
  }

  function run(label, script, args, cwd, timeoutMs) {
    log(`${label}: ${path.basename(script)} ${args.join(' ')}`);
    const result = spawnSync(process.execPath, [script, ...args], { cwd, env: childEnv(), stdio: 'inherit', timeout: timeoutMs });
    if (result.error) log(`${label} failed: ${result.error.message}`);
    return result.status === 0;
  }

  /** Loads the module in plain Node: an Electron-ABI build must be refused with its NODE_MODULE_VERSION. */
  function checkAbi(file) {
    const probe = spawnSync(process.execPath, ['-e', 'try { process.dlopen({ exports: {} }, process.argv[1]); console.log("LOADED") } catch (e) { console.log(e.message) }', file], {
      encoding: 'utf8',
    });
    const out = `${probe.stdout}${probe.stderr}`;
    if (out.includes('LOADED')) return { ok: false, why: `it loads in Node ${process.version} (ABI ${process.versions.modules}), so it was built for Node, not Electron` };
    const match = /NODE_MODULE_VERSION (\d+)[\s\S]*?NODE_MODULE_VERSION (\d+)/.exec(out);
    if (match && electronAbi && match[1] !== electronAbi) return { ok: false, why: `it was built for ABI ${match[1]}, Electron ${electronVersion} needs ${electronAbi}` };
    if (!match) return { ok: true, why: `could not read its ABI (${out.trim().split('\n')[0]}); assuming Electron's` };
    return { ok: true, why: `ABI ${match[1]}` };
  }

  const work = mkdtempSync(path.join(os.tmpdir(), 'mystocks-better-sqlite3-'));
  const pkgCopy = path.join(work, 'node_modules', 'better-sqlite3');
  let built;
  try {
    // The package without its Node build; deps/ (SQLite amalgamation) and src/ are needed for node-gyp.
    cpSync(sqlitePkgDir, pkgCopy, {
      recursive: true,
      filter: (src) => {
        const rel = path.relative(sqlitePkgDir, src);
        return rel !== 'build' && !rel.startsWith(`build${path.sep}`) && rel !== 'node_modules' && !rel.startsWith(`node_modules${path.sep}`);
      },
    });
    const candidate = path.join(pkgCopy, 'build', 'Release', 'better_sqlite3.node');
    const attempts = [];

    const prebuild = binOf('prebuild-install');
    if (prebuild) {
      const ok = run('prebuilt binary', prebuild, ['--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform, '--verbose'], pkgCopy, 180_000);
      attempts.push(`prebuild-install (download from better-sqlite3's GitHub release): ${ok ? 'ok' : 'failed'}`);
    } else attempts.push('prebuild-install: not installed');

    if (!existsSync(candidate)) {
      const nodeGyp = binOf('node-gyp') ?? process.env.npm_config_node_gyp;
      if (nodeGyp) {
        const ok = run(
          'compile from source',
          nodeGyp,
          ['rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers', `--jobs=${Math.max(1, os.availableParallelism?.() ?? os.cpus().length)}`],
          pkgCopy,
          20 * 60_000,
        );
        attempts.push(`node-gyp with Electron ${electronVersion} headers (download from electronjs.org/headers): ${ok ? 'ok' : 'failed'}`);
      } else attempts.push('node-gyp: not installed');
    }

    if (!existsSync(candidate)) {
      fail([
        `Could not build better-sqlite3 for Electron ${electronVersion}.`,
        ...attempts.map((a) => `  - ${a}`),
        'Both ways need the internet: the prebuilt binary comes from github.com, Electron\'s headers from electronjs.org',
        '(compiling also needs Python and a C++ toolchain). See the output above for the actual error.',
        'On a machine that reaches only the npm registry (like the project\'s build box) this step cannot succeed:',
        'run `npm run rebuild:electron` on a developer machine or in CI with internet access.',
        'Tests and `npm run serve` do not need it: they use the Node build in node_modules/better-sqlite3.',
      ]);
    }
    const abi = checkAbi(candidate);
    if (!abi.ok) fail([`The built better_sqlite3.node is not usable by Electron: ${abi.why}.`]);
    log(`built (${abi.why})`);

    mkdirSync(outDir, { recursive: true });
    const tmpOut = `${outFile}.tmp`;
    copyFileSync(candidate, tmpOut);
    renameSync(tmpOut, outFile);
    writeFileSync(stampFile, `${JSON.stringify({ ...stamp, builtAt: new Date().toISOString() }, null, 2)}\n`);
    built = outFile;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`installed ${path.relative(root, built)}`);
}

try {
  main();
} catch (err) {
  const lines = err instanceof BuildError ? err.lines : [err instanceof Error ? (err.stack ?? err.message) : String(err)];
  console.error(`\n[native-electron] ${lines.join('\n[native-electron] ')}\n`);
  process.exitCode = 1;
}
