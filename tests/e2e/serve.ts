/** Starts `npm run serve`'s built entry as a user would and hands back the printed URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface ServedApp {
  url: string;
  origin: string;
  port: number;
  token: string;
  output: () => string;
  stop(): Promise<number | null>;
  /** `kill -9`: the process ends at once, as in a crash or a power cut (no shutdown runs). */
  kill(): Promise<void>;
}

export function tempDir(prefix = 'mystocks-e2e-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function randomToken(): string {
  return `e2e-${Math.random().toString(36).slice(2)}-token-0123456789`;
}

/** The repository's root. */
export const repoRoot = root;

/**
 * `port` 0 (default) lets the OS pick. Restarting with the same `port`, token and data directory is
 * what a page needs to resume: same origin, and the session cookie (derived from the token) holds.
 * `importRoots` are extra folders files may be imported from (`--import-root`).
 */
export async function serve(dataDir: string, token = randomToken(), options: { port?: number; importRoots?: string[] } = {}): Promise<ServedApp> {
  const port = String(options.port ?? 0);
  const roots = (options.importRoots ?? []).flatMap((dir) => ['--import-root', dir]);
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'out/main/serve.js'), '--data-dir', dataDir, '--port', port, ...roots], {
    env: { ...process.env, MYSTOCKS_API_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL:\n${output}`)));
  });
  const origin = new URL(url).origin;
  return {
    url,
    origin,
    port: Number(new URL(url).port),
    token,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

export interface WorkerProcess {
  /** Resolves once the worker has registered with the Redis and takes trials ("trial worker ready"). */
  ready: Promise<void>;
  output: () => string;
  /** SIGTERM (finish the trials running), then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A remote trial worker as `npm run worker -- --redis URL` runs it: the built `out/main/worker.js`
 * (its trial threads load the built trial worker chunk). `args` are extra options (`--name`, `--concurrency`).
 */
export function startWorker(redisUrl: string, args: string[] = []): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'out/main/worker.js'), '--redis', redisUrl, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('trial worker ready')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the worker exited before it was ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  return {
    ready,
    output: () => output,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
