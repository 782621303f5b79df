/**
 * Hosts the embedded API in the main process. Electron main reaches the server only through
 * server/src/app.ts (lint rule). The server listens on 127.0.0.1 with an ephemeral port and a
 * fresh random token per launch; better-sqlite3 is loaded from the Electron-ABI build through
 * `nativeBinding` because node_modules holds the build for Node's ABI (tests, `npm run serve`).
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer, type ServerOptions } from '../../server/src/app';

export class NativeBindingMissingError extends Error {
  constructor(readonly bindingPath: string, isPackaged: boolean) {
    super(
      isPackaged
        ? `The SQLite engine is missing from the installation:\n${bindingPath}\n\nPlease reinstall MyStocks Workstation.`
        : `better-sqlite3 has not been built for Electron yet:\n${bindingPath}\n\nRun \`npm run rebuild:electron\` (needs internet access for Electron's headers or a prebuilt binary), then start again.`,
    );
    this.name = 'NativeBindingMissingError';
  }
}

export interface EmbeddedServerOptions {
  dataDir: string;
  rendererDir: string;
  nativeBinding: string;
  appVersion: string;
  isPackaged: boolean;
  /** Bundled sample data, imported on first launch. */
  sampleDataDir?: string;
}

export interface EmbeddedServer {
  server: RunningServer;
  token: string;
}

export interface ServerHostDeps {
  startServer: (options: ServerOptions & { port?: number }) => Promise<RunningServer>;
  exists: (file: string) => boolean;
  newToken: () => string;
}

export const defaultDeps: ServerHostDeps = {
  startServer,
  exists: existsSync,
  newToken: () => randomBytes(32).toString('base64url'),
};

export async function startEmbeddedServer(options: EmbeddedServerOptions, deps: ServerHostDeps = defaultDeps): Promise<EmbeddedServer> {
  if (!deps.exists(options.nativeBinding)) throw new NativeBindingMissingError(options.nativeBinding, options.isPackaged);
  const token = deps.newToken();
  const server = await deps.startServer({
    dataDir: options.dataDir,
    token,
    rendererDir: options.rendererDir,
    nativeBinding: options.nativeBinding,
    appVersion: options.appVersion,
    ...(options.sampleDataDir ? { sampleDataDir: options.sampleDataDir } : {}),
  });
  return { server, token };
}

/** A readable explanation for the error box shown when the server cannot start. */
export function describeStartupError(err: unknown): string {
  if (err instanceof NativeBindingMissingError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  // A better-sqlite3 built for another ABI fails with "was compiled against a different Node.js version".
  if (/NODE_MODULE_VERSION|different Node\.js version/i.test(message)) {
    return `The SQLite engine was built for a different Electron/Node version:\n${message}\n\nRun \`npm run rebuild:electron\` and start again.`;
  }
  return `The local data service could not start:\n${message}`;
}
