/**
 * Contract fuzzing: every operation of contracts/gen/openapi.json, present and future, gets
 * generated requests (valid and invalid, see generate.ts) sent over real HTTP to a real server
 * (startServer on loopback, a temporary data folder seeded with the bundled sample data, a CSV
 * import, watchlists and indicator sets; online providers offline). Every answer is checked
 * (oracle.ts); afterwards the server must still answer, the database must pass
 * `PRAGMA integrity_check`, and the requests the contract rejects must have changed no table.
 *
 *   FUZZ_SEED=<n>      the seed (default 20240615); a failure prints it with the exact request
 *   FUZZ_RUNS=<n>      how many cases (default 6000)
 *   FUZZ_CASES=<i,j>   replay only these cases of the seed's run (after the same seeding)
 *   FUZZ_REPORT=<file> where the JSON report goes (default: the system temp folder)
 *   FUZZ_KEEP=1        keep the temporary data folder (database, logs) for a look afterwards
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/app';
import { offlineFetch, TEST_TOKEN } from '../helpers/server';
import { beijing } from '../helpers/market';
import { fixedCases, operationCases, routeCases, type CaseDraft, type FuzzCase, type FuzzRequest } from './generate';
import { curl, fillRequest, send, TransportError, type FuzzResponse, type Placeholders } from './http';
import { check, errorCodeOf, type Violation } from './oracle';
import { fuzzTargets, matchesTemplate, methodsByPath, type FuzzTarget } from './walker';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.join(ROOT, 'resources/sample-data');

const SEED = Number(process.env.FUZZ_SEED ?? 20240615);
const RUNS = Number(process.env.FUZZ_RUNS ?? 6000);
const ONLY = process.env.FUZZ_CASES ? new Set(process.env.FUZZ_CASES.split(',').map((s) => Number(s.trim()))) : undefined;
/** A Saturday: the market is closed, so no quote polling runs behind the fuzzer's back. */
const NOW = beijing('2024-06-15 10:00');

/** A per-target seed: adding an operation does not change the cases of the others. */
function seedFor(name: string): number {
  let h = SEED >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h | 0;
}

/** All cases of the run, in a fixed order (round-robin over the operations). */
function generateCases(targets: FuzzTarget[]): FuzzCase[] {
  const byPath = methodsByPath(targets);
  const fixed = fixedCases(targets, TEST_TOKEN);
  const share = Math.max(1, Math.floor((RUNS * 0.9) / targets.length));
  const lists: CaseDraft[][] = targets.map((t) => fc.sample(operationCases(t, TEST_TOKEN), { seed: seedFor(t.operationId), numRuns: share }));
  const routes = Math.max(1, RUNS - share * targets.length - fixed.length);
  const matchesAny = (p: string) => targets.some((t) => matchesTemplate(t.path, p));
  lists.push(fc.sample(routeCases(targets, TEST_TOKEN, byPath, matchesAny), { seed: seedFor('route'), numRuns: routes }));
  const drafts: CaseDraft[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) drafts.push(l[i]!);
  drafts.push(...fixed);
  return drafts.map((d, index) => ({ ...d, index }));
}

// ---------------------------------------------------------------------------------------------
// Seeding: real state for the fuzzer to hit

function csvBars(): string {
  const lines = ['date,open,high,low,close,volume,amount'];
  let close = 180;
  const day = new Date(Date.UTC(2023, 0, 2));
  for (let i = 0; lines.length <= 120; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    const open = close;
    close = Math.round((open * (1 + Math.sin(i) * 0.02)) * 100) / 100;
    const high = Math.max(open, close) + 1;
    const low = Math.min(open, close) - 1;
    lines.push(`${day.toISOString().slice(0, 10)},${open},${high},${low},${close},${100000 + i * 100},${(100000 + i * 100) * close}`);
  }
  return lines.join('\n') + '\n';
}

interface Seeded {
  server: RunningServer;
  base: string;
  placeholders: Placeholders;
  agent: http.Agent;
}

async function api(s: { server: RunningServer; agent: http.Agent }, method: string, url: string, body?: unknown): Promise<{ status: number; json: { data?: unknown } & Record<string, unknown> }> {
  const request: FuzzRequest = {
    method,
    url,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
  const res = await send(s.server.port, s.agent, request, false);
  return { status: res.status, json: JSON.parse(res.body) as { data?: unknown } };
}

interface Task {
  id: string;
  state: string;
}

/** Waits until no import task is queued or running. */
async function importsIdle(s: { server: RunningServer; agent: http.Agent }): Promise<Task[]> {
  for (let i = 0; i < 3000; i++) {
    const { status, json } = await api(s, 'GET', '/api/data/imports');
    if (status !== 200) throw new Error(`GET /api/data/imports answered ${status}`);
    const tasks = json.data as Task[];
    if (tasks.every((t) => t.state === 'succeeded' || t.state === 'failed')) return tasks;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('imports did not finish');
}

async function seed(): Promise<Seeded> {
  const base = mkdtempSync(path.join(tmpdir(), 'mystocks-fuzz-'));
  const dataDir = path.join(base, 'data');
  const importRoot = path.join(base, 'import');
  mkdirSync(path.join(importRoot, 'exports'), { recursive: true });
  writeFileSync(path.join(importRoot, 'bars.csv'), csvBars());
  // A short TDX export (the head of a bundled one, with its footer).
  const exportFile = readFileSync(path.join(SAMPLE, 'tdx-export', 'SH#601003.txt'));
  const lines = exportFile.toString('latin1').split('\r\n');
  writeFileSync(path.join(importRoot, 'exports', 'SH#601003.txt'), Buffer.from([...lines.slice(0, 42), lines.at(-1) === '' ? lines.at(-2)! : lines.at(-1)!, ''].join('\r\n'), 'latin1'));
  copyFileSync(path.join(SAMPLE, 'tdx', 'vipdoc', 'sh', 'lday', 'sh600000.day'), path.join(importRoot, 'sh600000.day'));

  const server = await startServer({
    dataDir,
    token: TEST_TOKEN,
    fetch: offlineFetch,
    providers: { http: { sleep: async () => undefined } },
    sampleDataDir: SAMPLE,
    importRoots: [importRoot],
    now: () => NOW,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const s = { server, agent };
  // The bundled sample data is imported on first launch; then a CSV through the API.
  await importsIdle(s);
  const csv = await api(s, 'POST', '/api/data/import/csv', {
    path: path.join(importRoot, 'bars.csv'),
    symbol: '300750.SZ',
    name: '宁德时代',
    period: 'day',
    mapping: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, amount: 6 },
  });
  if (csv.status !== 202) throw new Error(`seeding: CSV import answered ${csv.status}: ${JSON.stringify(csv.json)}`);
  const tasks = await importsIdle(s);
  const failed = tasks.filter((t) => t.state !== 'succeeded');
  if (failed.length > 0) throw new Error(`seeding: imports failed: ${JSON.stringify(failed)}`);
  for (const [name, symbols] of [['自选一', ['600000.SH', '000001.SZ']], ['Tech', ['688001.SH']], ['空', []]] as const) {
    const res = await api(s, 'POST', '/api/watchlists', { name, symbols });
    if (res.status !== 201) throw new Error(`seeding: watchlist answered ${res.status}`);
  }
  for (const set of [
    { name: '均线', convention: 'talib', indicators: [{ name: 'SMA', params: { period: 5 } }, { name: 'SMA', params: { period: 20 } }] },
    { name: 'TDX', convention: 'tdx', indicators: [{ name: 'KDJ' }, { name: 'MACD' }] },
  ]) {
    const res = await api(s, 'POST', '/api/indicators/sets', set);
    if (res.status !== 201) throw new Error(`seeding: indicator set answered ${res.status}: ${JSON.stringify(res.json)}`);
  }
  return {
    server,
    base,
    agent,
    placeholders: { ROOT: importRoot, DATA: dataDir, SAMPLE, TASK: tasks[0]!.id, HOST: `127.0.0.1:${server.port}`, PORT: String(server.port) },
  };
}

// ---------------------------------------------------------------------------------------------
// The database, read on its own read-only connection

function tableCounts(dbFile: string): Record<string, number> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare<[], number>(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`).pluck().get()!]));
  } finally {
    db.close();
  }
}

function integrity(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], string>('PRAGMA integrity_check').pluck().all().join('; ');
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Running and reporting

interface Failure {
  key: string;
  /** What the server logged (warnings and errors) while answering, for 5xx answers. */
  serverLog?: string[];
  violation: Violation;
  c: FuzzCase;
  sent: FuzzRequest;
  status: number | undefined;
  code: number | undefined;
}

class Run {
  readonly statuses = new Map<string, number>();
  readonly failures: Failure[] = [];
  /** Milliseconds spent per target and kind (in the JSON report). */
  readonly time = new Map<string, number>();
  /** Statuses per kind of case (in the JSON report). */
  readonly byKind = new Map<string, Record<string, number>>();
  /** Statuses of the valid cases per operation: how often the generated requests hit real state. */
  readonly validByOperation = new Map<string, Record<string, number>>();
  /** Valid requests the server still refused, by operation, status, code and first detail. */
  readonly validRejected = new Map<string, { count: number; example: string }>();
  cases = 0;

  /** Warnings and errors the server logged, by request id. */
  private readonly logged = new Map<string, string[]>();
  readonly stopLogs: () => void;

  constructor(
    private readonly s: Seeded,
    private readonly targets: Map<string, FuzzTarget>,
  ) {
    this.stopLogs = s.server.context.logs.subscribe((entry) => {
      const reqId = entry.context?.reqId;
      if (typeof reqId !== 'string' || (entry.level !== 'ERROR' && entry.level !== 'WARNING')) return;
      const err = entry.context?.err as { message?: string; stack?: string; code?: string } | undefined;
      const where = err?.stack?.split('\n').find((l) => l.includes('/server/src/'))?.trim();
      const line = `${entry.level} ${entry.module}: ${entry.message}${err ? ` — ${err.code ? `${err.code} ` : ''}${err.message ?? ''}${where ? ` (${where})` : ''}` : ''}`;
      this.logged.set(reqId, [...(this.logged.get(reqId) ?? []), line]);
    });
  }

  async one(c: FuzzCase): Promise<void> {
    const sent = fillRequest(c.request, this.s.placeholders);
    this.cases++;
    const t0 = performance.now();
    let res: FuzzResponse | undefined;
    let violations: Violation[];
    try {
      res = await send(this.s.server.port, this.s.agent, sent, c.stream);
      violations = check(c, sent, res, this.targets.get(c.target)?.successStatus);
      // An accepted import runs in a worker thread: let it finish, so what follows does not
      // depend on timing (the run stays reproducible from its seed).
      if (res.status === 202) await importsIdle(this.s);
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      violations = [{ reason: 'no answer', observed: err.message }];
    }
    const key = `${c.target} ${c.kind}`;
    this.time.set(key, (this.time.get(key) ?? 0) + (performance.now() - t0));
    const status = res?.status;
    const code = res ? errorCodeOf(res.body) : undefined;
    if (c.kind === 'valid' && res && status !== undefined && status >= 400) {
      // Not a failure (the handler may know more than the schema), but worth a look: in the report.
      const detail = detailOf(res.body);
      const rejectedKey = `${c.target} ${status}/${code ?? '-'} ${detail}`;
      const seen = this.validRejected.get(rejectedKey);
      this.validRejected.set(rejectedKey, { count: (seen?.count ?? 0) + 1, example: seen?.example ?? `#${c.index} ${sent.method} ${sent.url} ${sent.body ?? ''}`.slice(0, 300) });
    }
    for (const [map, name] of [[this.byKind, c.kind], [this.validByOperation, c.kind === 'valid' ? c.target : undefined]] as const) {
      if (name === undefined) continue;
      const stats = map.get(name) ?? {};
      stats[String(status ?? 'none')] = (stats[String(status ?? 'none')] ?? 0) + 1;
      map.set(name, stats);
    }
    this.statuses.set(String(status ?? 'none'), (this.statuses.get(String(status ?? 'none')) ?? 0) + 1);
    const requestId = res ? requestIdOf(res.body) : undefined;
    const serverLog = status !== undefined && status >= 500 && requestId ? this.logged.get(requestId) : undefined;
    for (const v of violations) {
      // Fixed cases are few and each its own story: their detail is part of the class.
      const kind = c.kind === 'protocol' || c.kind === 'body-too-large' ? `${c.kind}: ${c.detail}` : c.kind;
      this.failures.push({ key: [v.reason, c.target, kind, `${status ?? '-'}/${code ?? '-'}`].join(' | '), violation: v, c, sent, status, code, ...(serverLog ? { serverLog } : {}) });
    }
  }
}

function detailOf(body: string): string {
  try {
    const d = (JSON.parse(body) as { details?: { field?: string; message?: string }[] }).details?.[0];
    return d ? `${d.field ?? ''} ${d.message ?? ''}`.trim().replace(/\/tmp\/\S+/g, '<tmp>').slice(0, 80) : '';
  } catch {
    return '';
  }
}

function requestIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { requestId?: unknown }).requestId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

const size = (r: FuzzRequest) => r.url.length + (r.body?.length ?? 0) + (r.raw?.length ?? 0) + (r.bodySize ?? 0);

function describeRequest(r: FuzzRequest): string {
  const body = r.bodySize !== undefined ? `<${r.bodySize} bytes: {"name":"aaa…"}>${r.chunked ? ' (chunked)' : ''}` : r.body === undefined ? '<none>' : r.body.length > 1000 ? `${JSON.stringify(r.body.slice(0, 1000))}…(${r.body.length} chars)` : JSON.stringify(r.body);
  if (r.raw !== undefined) return `raw: ${JSON.stringify(r.raw.length > 400 ? `${r.raw.slice(0, 400)}…` : r.raw)}`;
  return `${r.method} ${r.url.length > 300 ? `${r.url.slice(0, 300)}…(${r.url.length} chars)` : r.url}\n      headers: ${JSON.stringify(r.headers)}\n      body: ${body}`;
}

function report(run: Run, origin: string): { text: string; classes: { key: string; count: number; example: Failure }[] } {
  const classes = new Map<string, { count: number; example: Failure }>();
  for (const f of run.failures) {
    const entry = classes.get(f.key);
    if (!entry) classes.set(f.key, { count: 1, example: f });
    else {
      entry.count++;
      if (size(f.sent) < size(entry.example.sent)) entry.example = f;
    }
  }
  const sorted = [...classes.entries()].map(([key, v]) => ({ key, ...v })).sort((a, b) => a.key.localeCompare(b.key));
  const lines = sorted.map(({ key, count, example: f }) =>
    [
      `  ✗ ${key}  (${count}×)`,
      `      ${f.violation.observed.slice(0, 300)}`,
      ...(f.serverLog ?? []).map((l) => `      server log: ${l.slice(0, 400)}`),
      `      replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_CASES=${f.c.index}  (case #${f.c.index}: ${f.c.kind}, ${f.c.detail})`,
      `      ${describeRequest(f.sent)}`,
      `      ${curl(origin, f.sent).slice(0, 600)}`,
    ].join('\n'),
  );
  return { text: lines.join('\n'), classes: sorted };
}

describe('contract fuzzing (every operation of contracts/gen/openapi.json, over real HTTP)', () => {
  // Assigned by beforeAll (undefined only when seeding failed).
  let s!: Seeded;
  const targets = fuzzTargets();
  const all = generateCases(targets);
  const cases = ONLY ? all.filter((c) => ONLY.has(c.index)) : all;

  beforeAll(async () => {
    s = await seed();
  }, 120_000);

  afterAll(async () => {
    if (!s) return;
    s.agent.destroy();
    await s.server.close();
    if (process.env.FUZZ_KEEP) console.log(`contract-fuzz: kept ${s.base}`);
    else rmSync(s.base, { recursive: true, force: true });
  });

  it(`${cases.length} generated requests: no 5xx, only the error envelope with catalogue codes, no leaks; rejected requests change nothing`, async () => {
    if (!s) throw new Error('seeding failed');
    const started = performance.now();
    const run = new Run(s, new Map(targets.map((t) => [t.operationId, t])));
    const dbFile = s.server.context.dbFile;
    const problems: string[] = [];

    // Phase 1: everything the contract rejects. Nothing may change.
    const rejected = cases.filter((c) => c.expect.reject);
    const before = tableCounts(dbFile);
    for (const c of rejected) await run.one(c);
    await importsIdle(s);
    const after = tableCounts(dbFile);
    const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
    if (changed.length > 0) problems.push(`rejected requests changed tables: ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(', ')} (see the classes 'accepted a request the contract rejects')`);

    // Phase 2: requests the contract accepts (deletions last, so the rest still finds data).
    const accepted = cases.filter((c) => !c.expect.reject).sort((a, b) => Number(a.request.method === 'DELETE') - Number(b.request.method === 'DELETE') || a.index - b.index);
    for (const c of accepted) await run.one(c);
    await importsIdle(s);

    // Afterwards: still answering, database intact.
    const health = await api(s, 'GET', '/api/system/health');
    if (health.status !== 200 || health.json.success !== true) problems.push(`health answered ${health.status}: ${JSON.stringify(health.json).slice(0, 300)}`);
    const live = await api(s, 'GET', '/api/health/live');
    if (live.status !== 200) problems.push(`liveness answered ${live.status}`);
    // Streams the fuzzer hung up on are released (the hub notices closed sockets).
    let connections = -1;
    for (let i = 0; i < 250 && connections !== 0; i++) {
      const status = await api(s, 'GET', '/api/stream/status');
      connections = (status.json.data as { connections: number }).connections;
      if (connections !== 0) await new Promise((r) => setTimeout(r, 20));
    }
    if (connections !== 0) problems.push(`${connections} SSE connections still open after the client hung up`);
    const check = integrity(dbFile);
    if (check !== 'ok') problems.push(`PRAGMA integrity_check: ${check}`);

    run.stopLogs();
    const seconds = (performance.now() - started) / 1000;
    const { text, classes } = report(run, s.server.origin);
    const statuses = [...run.statuses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}:${v}`).join(' ');
    const covered = new Set(cases.map((c) => c.target));
    const summary = `contract-fuzz: cases=${run.cases} (rejected-phase=${rejected.length} accepted-phase=${accepted.length}) operations=${targets.filter((t) => covered.has(t.operationId)).length}/${targets.length} duration=${seconds.toFixed(1)}s seed=${SEED} runs=${RUNS} statuses={${statuses}} failures=${run.failures.length} classes=${classes.length}`;
    const reportFile = process.env.FUZZ_REPORT ?? path.join(tmpdir(), `mystocks-contract-fuzz-${SEED}.json`);
    writeFileSync(
      reportFile,
      JSON.stringify({ summary, problems, byKind: Object.fromEntries([...run.byKind.entries()].sort()), validByOperation: Object.fromEntries([...run.validByOperation.entries()].sort()), validRejected: Object.fromEntries([...run.validRejected.entries()].sort()), slowest: [...run.time.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, ms]) => `${k}: ${Math.round(ms)} ms`), classes: classes.map(({ key, count, example: f }) => ({ key, count, observed: f.violation.observed, serverLog: f.serverLog, case: f.c.index, kind: f.c.kind, detail: f.c.detail, request: f.sent, curl: curl(s.server.origin, f.sent) })) }, null, 2),
    );
    console.log(`${text ? `contract-fuzz failures by class (seed ${SEED}):\n${text}\n` : ''}${problems.map((p) => `  ✗ ${p}`).join('\n')}${problems.length ? '\n' : ''}  report: ${reportFile}\n${summary}`);

    expect(problems, 'whole-run checks').toEqual([]);
    expect(classes.map((c) => `${c.key} (${c.count}×, e.g. case #${c.example.c.index})`), `failure classes (seed ${SEED}; details above and in ${reportFile})`).toEqual([]);
  }, 600_000);
});
