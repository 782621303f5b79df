/**
 * The built app (`out/main/serve.js`) for benches that measure through it: started on a data
 * directory with a token and `--import-root` folders, its URL read from what it prints, killed
 * with this process however that ends. `stop()` shuts it down as a user would (SIGTERM); `pid`
 * is the server process (its worker threads are in it: /proc/<pid>/status measures them all).
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
  return { origin, pid: child.pid, stop: () => new Promise((res) => (child.once('exit', res), child.kill('SIGTERM'))) };
}

/**
 * The served app's API for a bench: `api(method, url, body)` answers the envelope's data (throws
 * on an error status); `waitTask(id)` polls a task until it has finished; `terminalEvent(url,
 * progressEvent, onProgress)` reads an event stream until its first event that is not progress and
 * answers { event, data, at } (`at`: performance.now() when it arrived) — how the renderer learns
 * a run has ended, without the polling's requests on the server's main thread.
 */
export function apiClient(origin, token) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  async function api(method, url, body) {
    const res = await fetch(`${origin}${url}`, body ? { method, headers, body: JSON.stringify(body) } : { method, headers: { authorization: headers.authorization } });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  }
  async function waitTask(id, everyMs = 20) {
    for (;;) {
      const task = await api('GET', `/api/tasks/${id}`);
      if (task.state !== 'queued' && task.state !== 'running') return task;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
  async function terminalEvent(url, progressEvent, onProgress) {
    const res = await fetch(`${origin}${url}`, { headers });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${url}: the stream ended before a terminal event`);
      text += decoder.decode(value, { stream: true });
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const frame = text.slice(0, end);
        text = text.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!event || !data) continue;
        const parsed = JSON.parse(data);
        if (event === progressEvent) onProgress?.(parsed);
        else {
          const at = performance.now();
          await reader.cancel();
          return { event, data: parsed, at };
        }
      }
    }
  }
  return { api, waitTask, terminalEvent, headers };
}
