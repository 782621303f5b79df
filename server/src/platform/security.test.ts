import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../app';
import { TEST_TOKEN, tempDataDir } from '../../../tests/helpers/server';

/** Raw HTTP so the Host header can be forged (fetch will not let us). */
function raw(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A raw HTTP/1.1 message on a socket: what Node's parser refuses before there is a request. */
function rawMessage(port: number, message: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(message));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) }));
  });
}

describe('local API security', () => {
  const temp = tempDataDir();
  let server: RunningServer;
  let host: string;
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };

  beforeAll(async () => {
    const rendererDir = path.join(temp.dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    server = await startServer({ dataDir: path.join(temp.dir, 'data'), token: TEST_TOKEN, rendererDir });
    host = `127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    temp.remove();
  });

  it('listens on loopback only, on an ephemeral port', () => {
    const address = server.app.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1' });
    expect(server.port).toBeGreaterThan(0);
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers 401 with code 6000 without a token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token-wrong' }, { authorization: TEST_TOKEN }] as Record<string, string>[]) {
      const res = await raw(server.port, { path: '/api/system/health', headers: { host, ...headers } });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ success: false, code: 6000 });
    }
  });

  it('needs the token however the API path is spelled (percent-encoded, absolute-form)', async () => {
    for (const target of ['/%61pi/system/settings', '/ap%69/system/settings', `http://${host}/api/system/settings`]) {
      const res = await raw(server.port, { path: target, headers: { host } });
      expect(res.status, target).toBe(401);
      expect(JSON.parse(res.body).code).toBe(6000);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const write = await raw(server.port, { path: '/ap%69/system/settings', method: 'PATCH', headers: { host, 'content-type': 'application/json' }, body: '{"theme":"dark"}' });
    expect(write.status).toBe(401);
    const settings = await raw(server.port, { path: '/api/system/settings', headers: { host, ...auth } });
    expect(JSON.parse(settings.body).data.theme).toBe('light');
  });

  it('checks the host an absolute-form target names, and a request without Host', async () => {
    const foreign = await raw(server.port, { path: `http://evil.example/api/system/health`, headers: { host, ...auth } });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).code).toBe(6002);
    const hostless = await rawMessage(server.port, `GET /api/system/health HTTP/1.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(hostless.status).toBe(403);
    expect(JSON.parse(hostless.body).code).toBe(6002);
  });

  it('answers what the HTTP parser refuses in the envelope', async () => {
    const cases: [string, number, number][] = [
      [`POST /api/watchlists HTTP/1.1\r\nHost: ${host}\r\nContent-Length: abc\r\n\r\n`, 400, 1000],
      [`POST /api/watchlists HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400, 1000],
      [`GET /api/sys tem/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 400, 1000],
      [`GET /api/system/health HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`, 431, 1007],
    ];
    for (const [message, status, code] of cases) {
      const res = await rawMessage(server.port, message);
      expect(res.status, message.slice(0, 40)).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ success: false, code, message: expect.any(String), requestId: expect.any(String) });
    }
  });

  it('accepts the Bearer token and localhost as host name', async () => {
    const res = await raw(server.port, { path: '/api/system/health', headers: { host: `localhost:${server.port}`, ...auth } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rejects a foreign Host header (DNS rebinding) even with the token', async () => {
    for (const badHost of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`]) {
      const res = await raw(server.port, { path: '/api/system/health', headers: { host: badHost, ...auth } });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).code).toBe(6002);
    }
    const page = await raw(server.port, { path: '/', headers: { host: 'evil.example' } });
    expect(page.status).toBe(403);
  });

  it('rejects a foreign Origin and cross-site fetches, with no CORS headers', async () => {
    const res = await raw(server.port, { path: '/api/system/health', headers: { host, origin: 'http://evil.example', ...auth } });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).code).toBe(6003);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await raw(server.port, { path: '/api/system/settings', method: 'OPTIONS', headers: { host, origin: 'http://evil.example' } });
    expect(preflight.status).toBe(403);
    const crossSite = await raw(server.port, { path: '/api/system/health', headers: { host, 'sec-fetch-site': 'cross-site', ...auth } });
    expect(crossSite.status).toBe(403);
    const same = await raw(server.port, { path: '/api/system/health', headers: { host, origin: `http://${host}`, ...auth } });
    expect(same.status).toBe(200);
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie that authenticates later requests', async () => {
    const created = await raw(server.port, { path: '/api/auth/session', method: 'POST', headers: { host, ...auth } });
    expect(created.status).toBe(200);
    const setCookie = String(created.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^mystocks_session_${server.port}=`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain(TEST_TOKEN);
    const cookie = setCookie.split(';')[0]!;
    const withCookie = await raw(server.port, { path: '/api/system/health', headers: { host, cookie } });
    expect(withCookie.status).toBe(200);
    // A cookie cannot mint another cookie; only the token can.
    const again = await raw(server.port, { path: '/api/auth/session', method: 'POST', headers: { host, cookie } });
    expect(again.status).toBe(401);
    const forged = await raw(server.port, { path: '/api/system/health', headers: { host, cookie: `mystocks_session_${server.port}=forged` } });
    expect(forged.status).toBe(401);
    const ended = await raw(server.port, { path: '/api/auth/session', method: 'DELETE', headers: { host, cookie } });
    expect(ended.status).toBe(200);
    const after = await raw(server.port, { path: '/api/system/health', headers: { host, cookie } });
    expect(after.status).toBe(401);
  });

  it('serves the renderer without a token, with a strict CSP, and routes unknown pages to it', async () => {
    const page = await raw(server.port, { path: '/', headers: { host } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const deep = await raw(server.port, { path: '/market/600000.SH', headers: { host, accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(deep.body).toContain('<title>app</title>');
  });

  it('answers unknown API routes, malformed JSON and wrong media types in the envelope', async () => {
    const unknown = await raw(server.port, { path: '/api/no/such/route', headers: { host, ...auth } });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ success: false, code: 1002 });
    const anonymous = await raw(server.port, { path: '/api/no/such/route', headers: { host } });
    expect(anonymous.status).toBe(401);

    const malformed = await raw(server.port, {
      path: '/api/system/settings',
      method: 'PATCH',
      headers: { host, ...auth, 'content-type': 'application/json' },
      body: '{"theme": "dark"',
    });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ success: false, code: 1000 });

    const xml = await raw(server.port, {
      path: '/api/system/settings',
      method: 'PATCH',
      headers: { host, ...auth, 'content-type': 'application/xml' },
      body: '<theme>dark</theme>',
    });
    expect(xml.status).toBe(415);
    expect(JSON.parse(xml.body).code).toBe(1003);
  });

  it('localises error messages from Accept-Language', async () => {
    const zh = await raw(server.port, { path: '/api/system/health', headers: { host } });
    expect(JSON.parse(zh.body).message).toBe('未授权：缺少或错误的访问令牌');
    const en = await raw(server.port, { path: '/api/system/health', headers: { host, 'accept-language': 'en-US,en;q=0.9' } });
    expect(JSON.parse(en.body).message).toBe('Unauthorized - missing or wrong access token');
  });

  it('leaves the data directory intact after hostile requests', async () => {
    const db = new Database(path.join(temp.dir, 'data', 'mystocks.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 0 });
    db.close();
  });

  it('keeps a cookie valid across restarts with the same token, and only then', async () => {
    const dataDir = path.join(temp.dir, 'restart');
    const first = await startServer({ dataDir, token: TEST_TOKEN });
    const created = await fetch(`${first.origin}/api/auth/session`, { method: 'POST', headers: auth });
    const cookie = created.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!;
    const port = first.port;
    await first.close();
    const same = await startServer({ dataDir, token: TEST_TOKEN, port });
    const ok = await raw(port, { path: '/api/system/health', headers: { host: `127.0.0.1:${port}`, cookie: `mystocks_session_${port}=${cookie}` } });
    expect(ok.status).toBe(200);
    await same.close();
    const other = await startServer({ dataDir, token: 'another-token-0123456789abcdef', port });
    const refused = await raw(port, { path: '/api/system/health', headers: { host: `127.0.0.1:${port}`, cookie: `mystocks_session_${port}=${cookie}` } });
    expect(refused.status).toBe(401);
    await other.close();
  });

  it('never logs the token', async () => {
    const res = await raw(server.port, { path: `/api/system/logs?q=${encodeURIComponent(TEST_TOKEN)}&level=DEBUG`, headers: { host, ...auth } });
    expect(JSON.parse(res.body).data.items).toEqual([]);
    const all = server.context.logs.query({ page: 1, pageSize: 10_000 });
    expect(JSON.stringify(all)).not.toContain(TEST_TOKEN);
  });
});
