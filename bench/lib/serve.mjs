/**
 * The built app (`out/main/serve.js`) for benches that measure through it: started on a data
 * directory with a token and `--import-root` folders, its URL read from what it prints, killed
 * with this process however that ends. `stop()` shuts it down as a user would (SIGTERM).
 */
import { spawn } from 'node:child_process';

export async function serveApp({ serveJs, dataDir, token, importRoots = [] }) {
  const child = spawn(process.execPath, [serveJs, '--data-dir', dataDir, '--port', '0', ...importRoots.flatMap((dir) => ['--import-root', dir])], {
    env: { ...process.env, MYSTOCKS_API_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  process.on('exit', () => child.kill('SIGKILL'));
  return { origin, stop: () => new Promise((res) => (child.once('exit', res), child.kill('SIGTERM'))) };
}
