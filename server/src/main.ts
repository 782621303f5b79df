/**
 * Headless entry for `npm run serve`: the same embedded server plus the built renderer, printing
 * the URL to open in a browser. The token travels in the URL fragment (never sent to the server,
 * never logged); the page exchanges it once for the session cookie and removes it from the URL.
 *
 *   node out/main/serve.js [--port N] [--data-dir DIR] [--import-root DIR]...
 *   MYSTOCKS_API_TOKEN=... fixes the token (scripts); otherwise it is random per launch.
 */
import path from 'node:path';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startServer } from './app';

export function defaultDataDir(): string {
  const name = 'MyStocks Workstation';
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', name);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), name);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'import-root': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('Usage: npm run serve -- [--port N] [--data-dir DIR] [--import-root DIR]...   (token from MYSTOCKS_API_TOKEN, else random)');
    console.log('  --import-root  a folder files may be imported from, besides the home directory (repeatable)');
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const token = process.env.MYSTOCKS_API_TOKEN || randomBytes(32).toString('base64url');
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());

  const server = await startServer({
    dataDir,
    token,
    port,
    rendererDir: path.join(import.meta.dirname, '..', 'renderer'),
    logToStdout: true,
    // The repository's bundled sample (out/main/serve.js → ../../resources/sample-data).
    sampleDataDir: path.join(import.meta.dirname, '..', '..', 'resources', 'sample-data'),
    importRoots: [os.homedir(), ...(values['import-root'] ?? []).map((dir) => path.resolve(dir))],
  });
  console.log(`MyStocks Workstation is serving ${dataDir}`);
  console.log(`Logs: ${server.context.currentLogFile()}`);
  console.log(`Open: ${server.origin}/#token=${token}`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    server.app.log.info({ module: 'system', signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
