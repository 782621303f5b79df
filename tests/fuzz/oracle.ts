/**
 * What every answer of the server must satisfy, whatever the request:
 *  - no 5xx, except 503 with 9002 (the SSE connection cap), 503 with 2001 (market data
 *    unavailable: the fuzzed server's providers are offline by design) and 503 with 9004 (no
 *    Redis answers at a generated URL);
 *  - every 4xx/5xx is the error envelope `{success:false, code, message, requestId, timestamp,
 *    details?}` with a code of the catalogue whose HTTP status is the one answered;
 *  - no stack trace, internal path or framework error code in any body;
 *  - a request the contract rejects gets a 4xx (the statuses and codes its kind calls for);
 *  - a 2xx is the success envelope with the operation's success status.
 */
import path from 'node:path';
import { ErrorCodes } from '../../contracts/gen/error-codes';
import type { FuzzCase, FuzzRequest } from './generate';
import type { FuzzResponse } from './http';

const CATALOGUE = new Map<number, { name: string; http: number }>(
  Object.entries(ErrorCodes).map(([name, e]) => [e.code, { name, http: e.http }]),
);

/**
 * 5xx answers that are not server faults here (9004: a generated Redis URL of the distributed
 * trials' connection test names no Redis that answers).
 */
const ALLOWED_5XX = new Set(['503:9002', '503:2001', '503:9004']);

/**
 * Text that must never reach a client (unless the client sent it): stack frames, framework error
 * codes, SQLite errors and paths inside the project's own folder (the source), other than the
 * bundled sample data, which is user data (an import's source, an allowed import folder).
 */
const LEAKS = ['    at ', 'node_modules', 'server/src', 'FST_ERR', 'SqliteError', 'SQLITE_'];
const PROJECT = path.resolve(import.meta.dirname, '../..');
const PROJECT_PATH = new RegExp(`${PROJECT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?!resources/sample-data)`);

export interface Violation {
  /** Short reason, the first part of the failure class. */
  reason: string;
  /** What was seen (status, code, the offending text). */
  observed: string;
}

const ENVELOPE_KEYS = new Set(['success', 'code', 'message', 'details', 'requestId', 'timestamp']);

export function errorCodeOf(body: string): number | undefined {
  try {
    const v = JSON.parse(body) as { code?: unknown };
    return typeof v.code === 'number' ? v.code : undefined;
  } catch {
    return undefined;
  }
}

function envelopeProblem(body: string, status: number): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return `not JSON: ${JSON.stringify(body.slice(0, 160))}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `not an object: ${body.slice(0, 160)}`;
  const e = v as Record<string, unknown>;
  const extra = Object.keys(e).filter((k) => !ENVELOPE_KEYS.has(k));
  if (e.success !== false || typeof e.code !== 'number' || typeof e.message !== 'string' || e.message === '' || typeof e.requestId !== 'string' || e.requestId === '' || typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp)) || extra.length > 0) {
    return `not the error envelope: ${body.slice(0, 200)}`;
  }
  if (e.details !== undefined) {
    const ok = Array.isArray(e.details) && e.details.every((d) => typeof d === 'object' && d !== null && typeof (d as { message?: unknown }).message === 'string' && ['undefined', 'string'].includes(typeof (d as { field?: unknown }).field));
    if (!ok) return `details malformed: ${JSON.stringify(e.details).slice(0, 200)}`;
  }
  const entry = CATALOGUE.get(e.code);
  if (!entry) return `code ${e.code} is not in the catalogue`;
  if (entry.http !== status) return `code ${e.code} (${entry.name}) is HTTP ${entry.http} in the catalogue but was answered with ${status}`;
  return undefined;
}

function isSuccessEnvelope(body: string): boolean {
  try {
    const v = JSON.parse(body) as Record<string, unknown>;
    return v.success === true && v.code === 0 && 'data' in v && typeof v.requestId === 'string';
  } catch {
    return false;
  }
}

export function check(c: FuzzCase, sent: FuzzRequest, res: FuzzResponse, successStatus: number | undefined): Violation[] {
  const out: Violation[] = [];
  const code = errorCodeOf(res.body);
  const sentText = `${sent.url}\n${sent.body ?? ''}\n${sent.raw ?? ''}\n${Object.values(sent.headers).join('\n')}`;
  const isSse = String(res.headers['content-type'] ?? '').includes('text/event-stream');

  const leaks: { marker: string; at: number }[] = [];
  for (const leak of LEAKS) if (res.body.includes(leak) && !sentText.includes(leak)) leaks.push({ marker: leak.trim() || leak, at: res.body.indexOf(leak) });
  const project = PROJECT_PATH.exec(res.body);
  if (project && !PROJECT_PATH.test(sentText)) leaks.push({ marker: 'project path', at: project.index });
  if (leaks.length > 0) {
    const at = Math.min(...leaks.map((l) => l.at));
    out.push({ reason: `leak (${leaks.map((l) => l.marker).join(', ')})`, observed: `${res.status}: …${res.body.slice(Math.max(0, at - 80), at + 120)}…` });
  }
  if (res.status >= 500) {
    if (!ALLOWED_5XX.has(`${res.status}:${code}`)) out.push({ reason: `status ${res.status}`, observed: `${res.status} code ${code ?? '-'}: ${res.body.slice(0, 300)}` });
  }
  if (res.status >= 400) {
    const problem = envelopeProblem(res.body, res.status);
    if (problem) out.push({ reason: problem.startsWith('code ') ? 'code/status mismatch or unknown code' : 'not the error envelope', observed: `${res.status}: ${problem}` });
  }
  if (c.expect.reject) {
    if (res.status < 400) {
      out.push({ reason: 'accepted a request the contract rejects', observed: `${res.status}${isSse ? ' (stream opened)' : ''}: ${res.body.slice(0, 200)}` });
    } else if (res.status < 500) {
      if (c.expect.status && !c.expect.status.includes(res.status)) out.push({ reason: `expected ${c.expect.status.join('/')}`, observed: `${res.status} code ${code ?? '-'}` });
      else if (!c.expect.status && (res.status === 401 || res.status === 403)) out.push({ reason: 'expected a 4xx other than 401/403', observed: `${res.status} code ${code ?? '-'}` });
      else if (c.expect.code && code !== undefined && !c.expect.code.includes(code)) out.push({ reason: `expected code ${c.expect.code.join('/')}`, observed: `${res.status} code ${code}` });
    }
  }
  if (res.status >= 200 && res.status < 300) {
    if (isSse) {
      if (!c.stream) out.push({ reason: 'unexpected event stream', observed: String(res.status) });
    } else {
      if (!isSuccessEnvelope(res.body)) out.push({ reason: 'not the success envelope', observed: `${res.status}: ${res.body.slice(0, 200)}` });
      if (successStatus !== undefined && res.status !== successStatus) out.push({ reason: `success status is not the contract's ${successStatus}`, observed: String(res.status) });
    }
  }
  return out;
}
