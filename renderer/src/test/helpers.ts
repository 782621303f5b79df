/** Test helpers: envelopes shaped by the contracts and a recording fetch stub. */
import { vi } from 'vitest';
import type { components } from '@contracts/gen/api';

type ErrorBody = components['schemas']['ErrorBody'];

export function envelope<T>(data: T): Response {
  return json(200, { success: true, code: 0, message: 'ok', data, requestId: 'req-1', timestamp: '2026-01-02T03:04:05.000Z' });
}

export function errorEnvelope(status: number, body: Omit<ErrorBody, 'success' | 'requestId' | 'timestamp'>): Response {
  return json(status, { success: false, requestId: 'req-2', timestamp: '2026-01-02T03:04:05.000Z', ...body });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** Stubs the global fetch; every call's Request is kept for assertions. */
export function stubFetch(handler: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    requests.push(request);
    return handler(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, requests };
}

export const sampleSettings: components['schemas']['Settings'] = {
  language: 'zh-CN',
  theme: 'light',
  priceColors: 'red-up',
  logLevel: 'INFO',
};

export const sampleHealth: components['schemas']['Health'] = {
  status: 'ok',
  uptimeSeconds: 93_780, // 1 day 2 h 3 min
  startedAt: '2026-01-01T01:01:00.000Z',
  versions: { app: '0.1.0', node: 'v20.20.0', sqlite: '3.50.2', platform: 'linux x64' },
  database: {
    ok: true,
    path: '/data/mystocks.db',
    sizeBytes: 5 * 1024 * 1024,
    schemaVersion: 3,
    journalMode: 'wal',
    latencyMs: 0.42,
  },
  disk: { dataDir: '/data', freeBytes: 50 * 1024 ** 3, totalBytes: 200 * 1024 ** 3 },
  memory: { rssBytes: 123 * 1024 * 1024, heapUsedBytes: 45 * 1024 * 1024 },
};
