/**
 * Request generation for the contract fuzzer. fast-check drives everything (seeded, so a run is
 * reproducible); json-schema-faker turns an operation's schemas into a valid instance (its seed
 * drawn by fast-check); fast-check arbitraries then mutate that instance: a required field
 * removed, an unknown field added, a value of the wrong type, a boundary value (empty, very long,
 * unicode, path-traversal-like, bad percent-encoding, 0, -1, huge, 1e309, -0, NaN, decimals
 * where integers are expected, out of the schema's range), broken bodies, wrong content types,
 * missing credentials. Each request is checked against the contract locally with the server's
 * own Ajv settings, so the fuzzer knows whether the server must reject it.
 */
import fc from 'fast-check';
import { generateSync } from 'json-schema-faker';
import ValidatorSelector from '@fastify/ajv-compiler';
import { CONTRACT_KEYWORDS } from '../../server/src/platform/contract';
import { matchesTemplate, type FuzzTarget, type JsonSchema } from './walker';
import { mulberry32 } from '../helpers/random';

// ---------------------------------------------------------------------------------------------
// Cases

/** A request as sent. `{ROOT}`, `{DATA}`, `{SAMPLE}` and `{TASK}` are filled in at send time. */
export interface FuzzRequest {
  method: string;
  /** The request target exactly as written on the request line (path and query). */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A body of this many bytes (`{"pad":"xxxx…"}`), made at send time. */
  bodySize?: number;
  /** Send the body with chunked transfer encoding (no Content-Length). */
  chunked?: boolean;
  /** A whole raw HTTP/1.1 message written to a socket (protocol-level cases); url etc. informative. */
  raw?: string;
}

export interface Expectation {
  /** The contract rejects this request: the answer must be 4xx. Otherwise any status < 500 is fine. */
  reject: boolean;
  /** When rejected, the statuses allowed (default: any 4xx). */
  status?: number[];
  /** When rejected, the error codes allowed (default: any code of the catalogue). */
  code?: number[];
}

export interface FuzzCase {
  /** Position in the run: `FUZZ_CASES=<index,…>` replays single cases. */
  index: number;
  /** operationId, or `route` for unknown routes / wrong methods, `protocol` for raw HTTP. */
  target: string;
  kind: string;
  /** What was changed, e.g. `query.limit = "1e309"`. */
  detail: string;
  request: FuzzRequest;
  expect: Expectation;
  /** May change state if the server accepts it. */
  mutating: boolean;
  /** A valid request opens an SSE stream: read the head, then hang up. */
  stream: boolean;
}

export type CaseDraft = Omit<FuzzCase, 'index'>;

// ---------------------------------------------------------------------------------------------
// Local validation, as the server does it (server/src/app.ts's Ajv options)

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
const buildValidator = (ValidatorSelector as unknown as () => (ext: unknown, opts: unknown) => (route: { schema: unknown }) => Validate)()(
  {},
  {
    customOptions: { removeAdditional: false, useDefaults: true, coerceTypes: 'array', allErrors: true, keywords: [...CONTRACT_KEYWORDS] },
  },
);
const validators = new WeakMap<object, Validate>();

/** A property's schema on its own (wrapped: Ajv's strict mode refuses a `default` at the root). */
const wrapped = new WeakMap<object, JsonSchema>();
export function isValidProperty(schema: JsonSchema, value: unknown): boolean {
  let wrapper = wrapped.get(schema);
  if (!wrapper) wrapped.set(schema, (wrapper = { type: 'object', properties: { v: schema } }));
  return isValid(wrapper, { v: value });
}

export function isValid(schema: JsonSchema | undefined, data: unknown): boolean {
  if (!schema) return true;
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = buildValidator({ schema })));
  try {
    // Ajv coerces and fills defaults in place.
    return validate(data === undefined ? undefined : structuredClone(data));
  } catch (err) {
    // Nesting thousands deep (generated on purpose) fits no schema of the contract's finite depth.
    if (err instanceof RangeError) return false;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Values

/** A JSON literal written as is: `1e309`, `-0`, `9007199254740993`. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Text placed in the URL without encoding: bad percent-encoding and the like. */
export class RawUrl {
  constructor(readonly text: string) {}
}

export function stringifyBody(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `@@RAW${raws.length - 1}@@`;
    }
    return v;
  });
  return (text ?? '').replace(/"@@RAW(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD, as any client would send). */
export function pctEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What the server's URL decoding makes of a component (undefined: not decodable). */
function urlDecode(text: string, plusIsSpace: boolean): string | undefined {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, ' ') : text);
  } catch {
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets an own property, even `__proto__`. */
function put(obj: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function clone<T>(value: T): T {
  if (value instanceof RawJson || value instanceof RawUrl) return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (isObj(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) put(out, k, clone(v));
    return out as T;
  }
  return value;
}

const long = fc.tuple(fc.integer({ min: 300, max: 2000 }), fc.constantFrom('a', '9', '中', '😀', '/', '.', '%', ' ', '../')).map(([n, c]) => c.repeat(n));

const STRINGS = [
  '', ' ', '\t', '\n', '0', '-1', 'null', 'true', '[]', '{}', 'NaN', '__proto__', 'constructor', 'toString',
  '浦发银行', '😀', 'e\u0301', '\u200b', '\u202e', '\u0000', 'a\u0000b', '\uFEFF600000.SH', '\ud800',
  '600000.sh', ' 600000.SH', '600000.SH ', '600000.SH\n', '６０００００.SH', '600000.SH,', '600000.SH,,000001.SZ',
  '1e309', "' OR 1=1 --", '"; DROP TABLE bars; --', '<script>alert(1)</script>', '${jndi:ldap://127.0.0.1/x}',
  '%s%n', '{{7*7}}', 'a\r\nX-Injected: 1', '%E0%A4%A', '%00', '%2e%2e%2f', '..', '.', '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini', '/etc/passwd', '/proc/self/environ', '~/.ssh/id_rsa', 'C:\\Windows\\System32',
  '\\\\127.0.0.1\\share', 'file:///etc/passwd', '{ROOT}/../../../etc/passwd', '{ROOT}/./bars.csv', '{ROOT}//bars.csv',
  '{DATA}/mystocks.db', '{DATA}/../', '{ROOT}/bars.csv\u0000.txt', '/dev/zero', '/dev/stdin', '/',
];

/** Strings at the edges, for any string-ish slot. */
const boundaryString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 2, arbitrary: long },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
);

/** Numbers as they appear in a URL. */
const NUMBER_TEXTS = [
  '0', '-1', '1', '-0', '+1', ' 1', '1 ', '1.5', '0.5', '1e2', '1E2', '1e309', '-1e309', 'Infinity', '-Infinity', 'NaN',
  '0x10', '0b1', '0o7', '1_000', '00001', '9007199254740993', '99999999999999999999999', '2147483648', '-2147483649',
  '١٢', '１２', '', 'abc', 'true', 'null', '1,2', '[1]',
];

/** Numbers as JSON literals. */
const numberLiteral: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 1.5, -0.0001, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, Number.MAX_SAFE_INTEGER, 1e20, 1e300, -1e300, 5e-324),
  fc.constantFrom('1e309', '-1e309', '-0', '9007199254740993', '123456789012345678901234567890', '1E2', '1.0', '0.1e1', '1e-7').map((t) => new RawJson(t)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function types(schema: JsonSchema): string[] {
  const t = schema.type;
  if (Array.isArray(t)) return t as string[];
  if (typeof t === 'string') return [t];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/** Values just outside (and on) the schema's own limits. */
function limitValues(schema: JsonSchema, loc: Loc): unknown[] {
  const out: unknown[] = [];
  const num = (n: number) => (loc === 'body' ? n : String(n));
  const ts = types(schema);
  if (ts.includes('integer') || ts.includes('number')) {
    for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
      const v = schema[key];
      if (typeof v !== 'number') continue;
      out.push(num(v), num(v - 1), num(v + 1), num(v + 0.5), num(v - 0.5));
    }
  }
  if (ts.includes('string')) {
    const max = schema.maxLength;
    const min = schema.minLength;
    if (typeof max === 'number' && max < 10_000) out.push('a'.repeat(max), 'a'.repeat(max + 1), '中'.repeat(max + 1));
    if (typeof min === 'number' && min > 0) out.push('a'.repeat(min - 1));
    if (Array.isArray(schema.enum)) {
      const first = String(schema.enum[0]);
      out.push(first.toUpperCase() === first ? first.toLowerCase() : first.toUpperCase(), `${first} `, `${first}x`, first.slice(0, -1));
    }
  }
  if (ts.includes('array')) {
    const max = schema.maxItems;
    const min = schema.minItems;
    const item = schema.items as JsonSchema | undefined;
    const sample = item ? sampleOf(item, 1) : 'x';
    if (typeof max === 'number' && max < 5_000) out.push(Array.from({ length: max + 1 }, (_, i) => (item ? sampleOf(item, i + 2) : i)));
    if (typeof min === 'number' && min > 0) out.push([]);
    if (schema.uniqueItems) out.push([sample, sample]);
  }
  if (ts.includes('object')) {
    const max = schema.maxProperties;
    if (typeof max === 'number' && max < 1_000) {
      const obj: Record<string, unknown> = {};
      for (let i = 0; i <= max; i++) obj[`k${i}`] = i;
      out.push(obj);
    }
    if (typeof schema.minProperties === 'number' && schema.minProperties > 0) out.push({});
  }
  return out;
}

function wrongTypeValues(schema: JsonSchema, loc: Loc): unknown[] {
  const ts = types(schema);
  if (loc !== 'body') {
    // Everything in a URL is text: a number's wrong type is text that is no number.
    if (ts.includes('integer') || ts.includes('number')) return NUMBER_TEXTS;
    if (ts.includes('boolean')) return ['yes', '2', 'TRUE', '', 'on'];
    return ['', '0', 'true', 'null', '[]'];
  }
  const all: unknown[] = ['1', 'abc', '', 123, 1.5, -1, true, false, null, [], {}, ['x'], [1], { a: 1 }, new RawJson('1e309')];
  return all.filter((v) => {
    if (typeof v === 'string') return !ts.includes('string');
    if (typeof v === 'number') return !(ts.includes('number') || (ts.includes('integer') && Number.isInteger(v)));
    if (typeof v === 'boolean') return !ts.includes('boolean');
    if (v === null) return !ts.includes('null');
    if (Array.isArray(v)) return !ts.includes('array');
    if (v instanceof RawJson) return true;
    return !ts.includes('object');
  });
}

function boundaryValue(schema: JsonSchema, loc: Loc): fc.Arbitrary<unknown> {
  const ts = types(schema);
  const numeric = ts.includes('integer') || ts.includes('number');
  const limits = limitValues(schema, loc);
  const generic: fc.Arbitrary<unknown> = numeric ? (loc === 'body' ? numberLiteral : fc.constantFrom(...NUMBER_TEXTS)) : boundaryString;
  const arbs: { weight: number; arbitrary: fc.Arbitrary<unknown> }[] = [{ weight: 3, arbitrary: generic }];
  if (limits.length > 0) arbs.push({ weight: 3, arbitrary: fc.constantFrom(...limits) });
  if (numeric) arbs.push({ weight: 1, arbitrary: boundaryString });
  if (loc === 'body' && ts.includes('array')) {
    arbs.push({ weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map((depth) => new RawJson('['.repeat(depth) + ']'.repeat(depth))) });
  }
  if (loc === 'body' && ts.includes('object')) {
    arbs.push({ weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map((depth) => new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))) });
  }
  return fc.oneof(...arbs);
}

/** Raw URL text: the component is written as is, not encoded. */
const RAW_URL = ['%E0%A4%A', '%', '%%', '%zz', '%0', '%00', '%2F', '%2f..%2f', '%2e%2e', '..', '%C0%AF', '%ED%A0%80', '%FF', '%E4%B8', '+', ';x=1', '%20', '%0D%0AX-Injected:%201', '600000.SH%00', '%36%30%30%30%30%30.SH'];

// ---------------------------------------------------------------------------------------------
// Valid instances

type Loc = 'params' | 'query' | 'body';

interface Instance {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** undefined: no body sent. */
  body: unknown;
}

/**
 * Known-good values by field name, tried when they fit the field's schema: the fuzzer then hits
 * the real state the suite seeded (instruments, bars, watchlists, indicator sets, files to import).
 */
const HINTS: Record<string, unknown[]> = {
  symbol: ['600000.SH', '600000.SH', '000001.SZ', '000001.SH', '688001.SH', '601003.SH', '300750.SZ', '920000.BJ'],
  symbols: ['600000.SH,000001.SZ', '600000.SH', ['600000.SH', '000001.SH'], ['300750.SZ'], ['600000.SH', '688001.SH', '000001.SZ']],
  period: ['day', 'day', 'day', '1m', '5m', 'week', 'month'],
  adjust: ['none', 'none', 'qfq'],
  id: [1, 1, 2, 3, 4, 99999, '{TASK}', '{TASK}', 'no-such-task'],
  start: ['2020-01-02', '2023-06-01 10:00', '2010-01-01'],
  end: ['2024-12-31', '2023-06-30'],
  path: [
    '{ROOT}/bars.csv', '{ROOT}/bars.csv', '{ROOT}/exports', '{ROOT}/exports/SH#601003.txt', '{ROOT}/sh600000.day', '{ROOT}', '{ROOT}/missing.csv',
    '{SAMPLE}/tdx/vipdoc/sh/lday/sh600000.day', '/etc/passwd', '{ROOT}/../outside.csv', '{DATA}/mystocks.db',
  ],
  mapping: [{ time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, amount: 6 }],
  q: ['pfyh', '600000', '浦发', 'SH', '0000'],
  indicators: [
    [{ name: 'SMA', params: { period: 10 } }],
    [{ name: 'MACD' }, { name: 'RSI' }],
    [{ name: 'KDJ', convention: 'tdx' }],
    [{ name: 'BOLL', convention: 'tdx', params: { period: 20, k: 2 } }],
    [{ name: 'BBANDS' }, { name: 'OBV' }, { name: 'VWAP' }],
  ],
  convention: ['talib', 'tdx'],
  rules: ['ma_cross,limit', 'macd_cross'],
  limit: [10, 500],
};

/** What `{TASK}` (an import task's id, known only after seeding) looks like, to test a hint against a schema. */
const TASK_ID_SHAPE = '00000000-0000-4000-8000-000000000000';

/** A text with its placeholders replaced by values of the same shape, for checking it against the contract. */
function shape(text: string): string {
  return text.replace(/\{TASK\}/g, TASK_ID_SHAPE).replace(/\{(ROOT|DATA|SAMPLE)\}/g, '/tmp/fuzz').replace(/\{HOST\}/g, '127.0.0.1:1');
}

function fake(schema: JsonSchema, seed: number, allOptionals = false): unknown {
  return generateSync(schema as never, {
    seed,
    maxItems: 4,
    optionalsProbability: 0.5,
    alwaysFakeOptionals: allOptionals,
    minDateTime: '2015-01-01T00:00:00Z',
    maxDateTime: '2030-01-01T00:00:00Z',
  });
}

function sampleOf(schema: JsonSchema, seed: number): unknown {
  try {
    return fake(schema, seed);
  } catch {
    // json-schema-faker 0.6 gives up on `minProperties` when it skipped every optional property.
    try {
      return fake(schema, seed, true);
    } catch {
      return 'x';
    }
  }
}

function withHints(value: Record<string, unknown>, schema: JsonSchema | undefined, random: () => number, probability: number): void {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, sub] of Object.entries(props)) {
    const hints = HINTS[name];
    if (!hints || random() >= probability) continue;
    const fitting = hints.filter((h) => isValidProperty(sub, typeof h === 'string' ? shape(h) : h));
    if (fitting.length > 0) put(value, name, clone(fitting[Math.floor(random() * fitting.length)]));
  }
}

function instanceArb(target: FuzzTarget, hintProbability: number): fc.Arbitrary<Instance> {
  return fc.record({ seed: fc.nat(), hintSeed: fc.nat() }).map(({ seed, hintSeed }) => {
    const random = mulberry32(hintSeed);
    const part = (schema: JsonSchema | undefined, offset: number): Record<string, unknown> => {
      if (!schema) return {};
      const v = sampleOf(schema, seed + offset);
      const obj = isObj(v) ? clone(v) : {};
      withHints(obj, schema, random, hintProbability);
      return obj;
    };
    const params = part(target.params, 0);
    const query = part(target.query, 1);
    let body: unknown = undefined;
    if (target.body) {
      const b = sampleOf(target.body, seed + 2);
      body = isObj(b) ? clone(b) : b;
      if (isObj(body)) withHints(body, target.body, random, hintProbability);
    }
    return { params, query, body };
  });
}

// ---------------------------------------------------------------------------------------------
// Building a request from an instance, and the contract's verdict on it

const BASE_HEADERS = { accept: 'application/json' };

interface Built {
  request: FuzzRequest;
  /** The server must reject it (the contract says so). */
  reject: boolean;
  status?: number[];
}

function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      if (one === undefined) continue;
      parts.push(`${pctEncode(k)}=${one instanceof RawUrl ? one.text : pctEncode(typeof one === 'string' ? one : stringifyBody(one))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** The value the server's query parser sees for a query value we send. */
function decodedQueryValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodedQueryValue);
  if (v instanceof RawUrl) return urlDecode(v.text, true) ?? v.text;
  if (typeof v === 'string') return v.replace(/[\ud800-\udfff]/g, (c, i: number, s: string) => (isPaired(s, i) ? c : '\ufffd'));
  return stringifyBody(v);
}

function isPaired(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) return i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
  return i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
}

function build(target: FuzzTarget, inst: Instance, options: { headers?: Record<string, string>; omitBody?: boolean } = {}): Built {
  let reject = false;
  let status: number[] | undefined;
  // Path
  const decodedParams: Record<string, unknown> = {};
  let path = target.path;
  for (const name of target.pathParams) {
    const v = inst.params[name];
    let text: string;
    let decoded: string | undefined;
    if (v instanceof RawUrl) {
      text = v.text;
      decoded = urlDecode(v.text, false);
      // Fastify answers a component it cannot decode with 400.
      if (decoded === undefined) status = [400];
    } else if (v === undefined) {
      text = '';
      decoded = '';
    } else {
      const s = typeof v === 'string' ? v : stringifyBody(v);
      text = pctEncode(s);
      decoded = urlDecode(text, false);
    }
    if (text === '') reject = true; // an empty segment: another (or no) route
    decodedParams[name] = decoded === undefined ? undefined : shape(decoded);
    path = path.replace(`{${name}}`, () => text);
  }
  if (!status && !reject && !isValid(target.params, decodedParams)) reject = true;
  // Query
  const query = queryString(inst.query);
  const decodedQuery = Object.fromEntries(Object.entries(inst.query).map(([k, v]) => [k, decodedQueryValue(v)]).map(([k, v]) => [k, typeof v === 'string' ? shape(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? shape(x) : x)) : v]));
  if (!isValid(target.query, decodedQuery)) reject = true;
  // Body
  const headers: Record<string, string> = { ...BASE_HEADERS, ...(target.stream ? { accept: 'text/event-stream' } : {}) };
  let body: string | undefined;
  if (inst.body !== undefined && !options.omitBody) {
    body = inst.body instanceof RawJson ? inst.body.text : stringifyBody(inst.body);
    headers['content-type'] = 'application/json';
  }
  if (target.body) {
    if (body === undefined) {
      if (!isValid(target.body, undefined)) reject = true;
    } else if (/"__proto__"\s*:|"constructor"\s*:\s*\{[^}]*"prototype"/.test(body)) {
      // Prototype poisoning: the JSON parser refuses it.
      reject = true;
      status ??= [400];
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(shape(body));
      } catch {
        reject = true;
        status ??= [400];
      }
      if (parsed !== undefined && !isValid(target.body, parsed)) reject = true;
    }
  }
  Object.assign(headers, options.headers);
  return {
    request: { method: target.method, url: path + query, headers, ...(body !== undefined ? { body } : {}) },
    reject: reject || status !== undefined,
    ...(status ? { status } : {}),
  };
}


function schemaCase(target: FuzzTarget, kind: string, detail: string, inst: Instance, extraHeaders?: Record<string, string>): CaseDraft {
  const built = build(target, inst, extraHeaders ? { headers: extraHeaders } : {});
  return {
    target: target.operationId,
    kind,
    detail,
    request: built.request,
    expect: built.reject ? { reject: true, ...(built.status ? { status: built.status } : {}) } : { reject: false },
    mutating: target.mutating,
    stream: target.stream,
  };
}

// ---------------------------------------------------------------------------------------------
// Slots: the places a mutation can hit

interface Slot {
  loc: Loc;
  path: (string | number)[];
  schema: JsonSchema;
  required: boolean;
}

function collectSlots(schema: JsonSchema | undefined, loc: Loc, out: Slot[], path: (string | number)[] = [], required = true, depth = 0): Slot[] {
  if (!schema || depth > 5) return out;
  if (path.length > 0 || loc === 'body') out.push({ loc, path, schema, required });
  if (loc !== 'body' && path.length > 0) return out; // URL parts are flat
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const req = new Set((schema.required as string[] | undefined) ?? []);
  if (props) for (const [name, sub] of Object.entries(props)) collectSlots(sub, loc, out, [...path, name], req.has(name), depth + 1);
  const items = schema.items as JsonSchema | undefined;
  if (items && loc === 'body') collectSlots(items, loc, out, [...path, 0], true, depth + 1);
  return out;
}

function slotsOf(target: FuzzTarget): Slot[] {
  const out: Slot[] = [];
  collectSlots(target.params, 'params', out);
  collectSlots(target.query, 'query', out);
  collectSlots(target.body, 'body', out);
  return out;
}

const slotName = (s: Slot) => [s.loc, ...s.path].join('.');

/** Sets the slot's value in (a clone of) the instance, creating what is missing on the way. */
function setAt(inst: Instance, slot: Slot, value: unknown): Instance {
  const next = clone(inst);
  if (slot.loc === 'body' && slot.path.length === 0) return { ...next, body: value };
  let node: unknown = slot.loc === 'body' ? (next.body = isObj(next.body) || Array.isArray(next.body) ? next.body : {}) : next[slot.loc];
  for (let i = 0; i < slot.path.length - 1; i++) {
    const key = slot.path[i]!;
    const container = node as Record<string, unknown>;
    let child = container[key as string];
    if (!isObj(child) && !Array.isArray(child)) {
      child = typeof slot.path[i + 1] === 'number' ? [] : {};
      put(container, key, child);
    }
    node = child;
  }
  put(node as Record<string, unknown>, slot.path[slot.path.length - 1]!, value);
  return next;
}

function deleteAt(inst: Instance, slot: Slot): Instance {
  const next = clone(inst);
  let node: unknown = slot.loc === 'body' ? next.body : next[slot.loc];
  for (let i = 0; i < slot.path.length - 1; i++) {
    if (!isObj(node) && !Array.isArray(node)) return next;
    node = (node as Record<string, unknown>)[slot.path[i] as string];
  }
  if (isObj(node)) delete node[slot.path[slot.path.length - 1] as string];
  return next;
}

const show = (v: unknown): string => {
  const text = v instanceof RawJson ? v.text : v instanceof RawUrl ? `raw:${v.text}` : JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
};

// ---------------------------------------------------------------------------------------------
// Per-operation arbitraries

const acceptLanguage = fc.constantFrom<Record<string, string>>({}, { 'accept-language': 'en' }, { 'accept-language': 'zh-CN,zh;q=0.9' });

export function operationCases(target: FuzzTarget, token: string): fc.Arbitrary<CaseDraft> {
  const auth = { authorization: `Bearer ${token}` };
  const valid = instanceArb(target, 0.75);
  const slots = slotsOf(target);
  const required = slots.filter((s) => s.required && s.loc !== 'params' && s.path.length > 0);
  const objects = slots.filter((s) => types(s.schema).includes('object') && s.schema.additionalProperties === false);
  const urlSlots = slots.filter((s) => s.loc !== 'body');
  const arbs: { weight: number; arbitrary: fc.Arbitrary<CaseDraft> }[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<CaseDraft>) => arbs.push({ weight, arbitrary });

  add(30, fc.tuple(valid, acceptLanguage).map(([inst, lang]) => schemaCase(target, 'valid', 'as generated from the schemas', inst, { ...auth, ...lang })));

  if (required.length > 0) {
    add(8, fc.tuple(valid, fc.constantFrom(...required)).map(([inst, slot]) => schemaCase(target, 'missing-required', `${slotName(slot)} removed`, deleteAt(inst, slot), auth)));
  }
  const extraKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'zzExtra', '', 'Symbol', 'symbol ', 'toString', '$where'), fc.string({ minLength: 1, maxLength: 12 }));
  const extraValue = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.constant({ prototype: { polluted: true } }));
  const queryObject: Slot[] = target.query ? [{ loc: 'query', path: [], schema: target.query, required: true }] : [];
  const extraSlots = [...objects.filter((s) => s.loc === 'body'), ...queryObject];
  if (extraSlots.length > 0) {
    add(
      8,
      fc.tuple(valid, fc.constantFrom(...extraSlots), extraKey, extraValue).map(([inst, slot, key, value]) => {
        const props = (slot.schema.properties ?? {}) as Record<string, unknown>;
        const name = key in props ? `${key}_x` : key;
        const v = slot.loc === 'query' ? (typeof value === 'string' ? value : stringifyBody(value)) : value;
        const next = slot.loc === 'query' ? { ...clone(inst), query: (() => { const q = clone(inst.query); put(q, name, v); return q; })() } : setAt(inst, { ...slot, path: [...slot.path, name] }, v);
        return schemaCase(target, 'extra-field', `${[slot.loc, ...slot.path, name].join('.')} = ${show(v)}`, next, auth);
      }),
    );
  }
  if (slots.length > 0) {
    const typed = slots.filter((s) => wrongTypeValues(s.schema, s.loc).length > 0);
    if (typed.length > 0) {
      add(
        12,
        fc.tuple(valid, fc.constantFrom(...typed)).chain(([inst, slot]) =>
          fc.constantFrom(...wrongTypeValues(slot.schema, slot.loc)).map((v) => schemaCase(target, 'wrong-type', `${slotName(slot)} = ${show(v)}`, setAt(inst, slot, v), auth)),
        ),
      );
    }
    add(
      20,
      fc.tuple(valid, fc.constantFrom(...slots)).chain(([inst, slot]) =>
        boundaryValue(slot.schema, slot.loc)
          // Past Node's 16 KiB header limit Node answers by itself (a fixed protocol case covers that).
          .filter((v) => slot.loc === 'body' || pctEncode(String(v)).length <= 6000)
          .map((v) => {
          const value = slot.loc !== 'body' && typeof v !== 'string' ? String(v) : v;
          return schemaCase(target, 'boundary', `${slotName(slot)} = ${show(value)}`, setAt(inst, slot, value), auth);
        }),
      ),
    );
  }
  if (urlSlots.length > 0) {
    add(
      5,
      fc.tuple(valid, fc.constantFrom(...urlSlots), fc.constantFrom(...RAW_URL), fc.constantFrom('replace', 'append', 'prepend')).map(([inst, slot, raw, how]) => {
        const current = inst[slot.loc as 'params' | 'query'][slot.path[0] as string];
        const base = current === undefined ? '' : pctEncode(typeof current === 'string' ? current : String(current));
        const text = how === 'replace' ? raw : how === 'append' ? base + raw : raw + base;
        return schemaCase(target, 'bad-encoding', `${slotName(slot)} = raw:${text}`, setAt(inst, slot, new RawUrl(text)), auth);
      }),
    );
  }
  if (target.query && Object.keys((target.query.properties ?? {}) as object).length > 0) {
    const names = Object.keys(target.query.properties as object);
    add(
      3,
      fc.tuple(valid, fc.constantFrom(...names), fc.integer({ min: 2, max: 3 })).map(([inst, name, n]) => {
        const current = inst.query[name];
        const one = current === undefined ? 'x' : typeof current === 'string' ? current : String(current);
        const next = clone(inst);
        next.query[name] = Array.from({ length: n }, () => one);
        return schemaCase(target, 'duplicate-key', `query.${name} repeated ${n}×`, next, auth);
      }),
    );
  }
  if (target.body) add(10, bodyCases(target, valid, auth));
  // Credentials and origin: the same request without the token, with a wrong one, from elsewhere.
  add(
    4,
    fc.tuple(valid, fc.constantFrom('none', 'wrong', 'basic', 'empty-bearer', 'long-token', 'bad-cookie', 'host', 'origin', 'cross-site', 'encoded-path', 'absolute-form'), fc.nat()).map(([inst, how, pick]) => {
      const headers: Record<string, string> =
        how === 'none' ? {}
        : how === 'wrong' ? { authorization: 'Bearer wrong-token-0123456789abcdefghij' }
        : how === 'basic' ? { authorization: `Basic ${Buffer.from(`user:${token}`).toString('base64')}` }
        : how === 'empty-bearer' ? { authorization: 'Bearer ' }
        : how === 'long-token' ? { authorization: `Bearer ${token.repeat(200)}` }
        : how === 'bad-cookie' ? { cookie: 'mystocks_session_{PORT}=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; mystocks_session=x' }
        : how === 'host' ? { ...auth, host: 'evil.example:80' }
        : how === 'origin' ? { ...auth, origin: 'http://evil.example' }
        : how === 'cross-site' ? { ...auth, 'sec-fetch-site': 'cross-site' }
        : {};
      const built = build(target, inst, { headers });
      // The same route reached through another spelling of its path, without the token.
      if (how === 'encoded-path') built.request.url = encodeOneLetter(built.request.url, pick);
      if (how === 'absolute-form') built.request.url = `http://{HOST}${built.request.url}`;
      const expectation: Expectation =
        how === 'host' ? { reject: true, status: [403], code: [6002] }
        : how === 'origin' || how === 'cross-site' ? { reject: true, status: [403], code: [6003] }
        : target.isPublic ? { reject: built.reject }
        : { reject: true, status: [401], code: [6000] };
      return { target: target.operationId, kind: `auth:${how}`, detail: how === 'encoded-path' ? `no token, path ${built.request.url.split('?')[0]}` : how === 'absolute-form' ? 'no token, absolute-form request target' : how, request: built.request, expect: expectation, mutating: target.mutating, stream: target.stream };
    }),
  );
  return fc.oneof(...arbs);
}

/** `/api/system/settings` → `/api/%73ystem/settings`: one letter of a fixed segment percent-encoded (the router decodes it). */
function encodeOneLetter(url: string, pick: number): string {
  const [pathPart, ...rest] = url.split('?');
  const letters = [...pathPart!.matchAll(/[a-z]/g)].map((m) => m.index);
  if (letters.length === 0) return url;
  const at = letters[pick % Math.min(letters.length, 4)]!;
  const encoded = `${pathPart!.slice(0, at)}%${pathPart!.charCodeAt(at).toString(16)}${pathPart!.slice(at + 1)}`;
  return [encoded, ...rest].join('?');
}

const MALFORMED = [
  '{', '}', '{"a":1', '{"a":1}}', "{'a':1}", '{a:1}', '{"a":1,}', '[1,]', 'nul', 'tru', 'NaN', '{"a":NaN}', '{"a":Infinity}',
  '{"a":undefined}', '{"a":01}', '{"a":.5}', '{"a":"\\x41"}', '{"a":"\u0001"}', '\u0000', '{"a":1}{"b":2}', '<xml/>',
  '--', '{"a":"unterminated}', '[[[[[[', '{"a":1e}', '{"a":-}', '{"a":0x10}', '"\\ud800"x', '{"a" 1}',
];

function bodyCases(target: FuzzTarget, valid: fc.Arbitrary<Instance>, auth: Record<string, string>): fc.Arbitrary<CaseDraft> {
  const draft = (kind: string, detail: string, request: FuzzRequest, expect: Expectation): CaseDraft => ({ target: target.operationId, kind, detail, request, expect, mutating: target.mutating, stream: target.stream });
  const base = (inst: Instance) => build(target, inst, { headers: auth }).request;
  return fc.oneof(
    // Malformed JSON: a fixed list, and the valid body cut short.
    { weight: 3, arbitrary: fc.tuple(valid, fc.constantFrom(...MALFORMED)).map(([inst, text]) => draft('malformed-json', JSON.stringify(text), { ...base(inst), body: text, headers: { ...base(inst).headers, 'content-type': 'application/json' } }, { reject: true, status: [400], code: [1000] })) },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.nat()).map(([inst, cut]) => {
        const request = base(inst);
        const text = request.body ?? '{}';
        const truncated = text.slice(0, cut % Math.max(1, text.length)) || '{';
        let parses = true;
        try {
          JSON.parse(truncated);
        } catch {
          parses = false;
        }
        return draft('malformed-json', `truncated at ${truncated.length}/${text.length}`, { ...request, body: truncated, headers: { ...request.headers, 'content-type': 'application/json' } }, parses ? { reject: true } : { reject: true, status: [400], code: [1000] });
      }),
    },
    // Wrong content types: the contract takes application/json only.
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/jsonx', 'json', 'text/json', 'application/json-patch+json', 'image/png', '*/*', 'application/json, text/plain'))
        .map(([inst, type]) => {
          const request = base(inst);
          const strict = type !== 'text/plain' && type !== 'application/json, text/plain';
          return draft('wrong-content-type', type, { ...request, body: request.body ?? '{}', headers: { ...request.headers, 'content-type': type } }, strict ? { reject: true, status: [415], code: [1003] } : { reject: true, status: [400, 415, 422] });
        }),
    },
    // No content type at all, with a body.
    { weight: 1, arbitrary: valid.map((inst) => { const request = base(inst); const headers = { ...request.headers }; delete headers['content-type']; return draft('wrong-content-type', 'none', { ...request, body: request.body ?? '{}', headers }, { reject: true, status: [400, 415, 422] }); }) },
    // Empty bodies.
    { weight: 1, arbitrary: valid.map((inst) => draft('empty-body', 'content-type json, no bytes', { ...base(inst), body: '', headers: { ...base(inst).headers, 'content-type': 'application/json' } }, { reject: true, status: [400], code: [1000] })) },
    { weight: 1, arbitrary: valid.map((inst) => { const request = base(inst); const headers = { ...request.headers }; delete headers['content-type']; const { body: _body, ...rest } = request; return draft('empty-body', 'no body, no content type', { ...rest, headers }, target.bodyRequired ? { reject: true, status: [400, 415, 422] } : { reject: false }); }) },
    // A body of the wrong JSON type as a whole.
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom('null', '[]', '"text"', '0', 'true', '[{}]')).map(([inst, text]) => draft('wrong-type', `body = ${text}`, { ...base(inst), body: text, headers: { ...base(inst).headers, 'content-type': 'application/json' } }, { reject: true })) },
  );
}

// ---------------------------------------------------------------------------------------------
// Routes: unknown routes and wrong methods

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function routeCases(targets: FuzzTarget[], token: string, methodsByPath: Map<string, Set<string>>, matchesAny: (urlPath: string) => boolean): fc.Arbitrary<CaseDraft> {
  const auth = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const byPath = new Map<string, FuzzTarget>();
  for (const t of targets) if (!byPath.has(t.path)) byPath.set(t.path, t);
  const wrongMethods: [string, string][] = [];
  for (const [path, methods] of methodsByPath) for (const m of ALL_METHODS) if (!methods.has(m)) wrongMethods.push([path, m]);

  const wrongMethod = fc.tuple(fc.constantFrom(...wrongMethods), fc.nat(), fc.boolean()).map(([[path, method], seed, withBody]): CaseDraft | undefined => {
    const t = byPath.get(path)!;
    const inst = isObj(sampleOf(t.params ?? { type: 'object' }, seed)) ? (sampleOf(t.params ?? { type: 'object' }, seed) as Record<string, unknown>) : {};
    withHints(inst, t.params, mulberry32(seed), 1);
    let url = path;
    for (const name of t.pathParams) url = url.replace(`{${name}}`, () => pctEncode(String(inst[name] ?? 1)));
    // `GET /api/market/instruments/refresh` is getInstrument, not a wrong method.
    if (targets.some((o) => o.method === method && matchesTemplate(o.path, url))) return undefined;
    const body = withBody && method !== 'GET' ? '{}' : undefined;
    return {
      target: 'route',
      kind: 'wrong-method',
      detail: `${method} ${path} (answers ${[...methodsByPath.get(path)!].join(', ')})`,
      request: { method, url, headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body } : {}) },
      expect: { reject: true, status: [405], code: [1005] },
      mutating: false,
      stream: false,
    };
  });

  const segment = fc.oneof(
    fc.constantFrom('api', 'x', 'zz-fuzz', 'watchlists', 'market', 'data', 'system', 'stream', 'indicators', 'technical', '..', '.', '%2e%2e', '%2F', '%E0%A4%A', '%', '%00', '%C0%AF', 'a%20b', '%e4%b8%ad', '..%2F..%2Fetc%2Fpasswd', '', 'docs', 'health', '1', '-1', '600000.SH', 'signals', 'items', 'imports'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).map((s) => pctEncode(s)),
    long.map((s) => pctEncode(s)),
  );
  const unknownRoute = fc
    .tuple(fc.constantFrom('/api/', '/api/', '/api/', '/', '/api', '//api/', '/API/'), fc.array(segment, { minLength: 0, maxLength: 5 }), fc.constantFrom('', '/', '?a=1', '?%E0%A4%A', '#x', '?'), fc.constantFrom(...ALL_METHODS))
    .filter(([prefix, segments, suffix]) => {
      const path = (prefix + segments.join('/')).split(/[?#]/)[0]!;
      let decodedOk = true;
      try {
        decodeURIComponent(path);
      } catch {
        decodedOk = false;
      }
      return !(decodedOk && matchesAny(path)) && !matchesAny((prefix + segments.join('/') + suffix).split(/[?#]/)[0]!);
    })
    // Request lines past Node's 16 KiB header limit are answered by Node itself (a fixed case covers that).
    .filter(([prefix, segments, suffix]) => (prefix + segments.join('/') + suffix).length <= 8000)
    .map(([prefix, segments, suffix, method]): CaseDraft => {
      const url = prefix + segments.join('/') + suffix;
      const badEncoding = (() => {
        try {
          decodeURIComponent(url.split('?')[0]!);
          return false;
        } catch {
          return true;
        }
      })();
      return {
        target: 'route',
        kind: 'unknown-route',
        detail: `${method} ${url.length > 80 ? `${url.slice(0, 60)}…(${url.length} chars)` : url}`,
        request: { method, url: url.startsWith('/') ? url : `/${url}`, headers: auth },
        expect: { reject: true, status: badEncoding ? [400, 404] : [404], code: badEncoding ? [1000, 1002] : [1002] },
        mutating: false,
        stream: false,
      };
    });
  return fc.oneof({ weight: 1, arbitrary: wrongMethod.filter((c): c is CaseDraft => c !== undefined) }, { weight: 1, arbitrary: unknownRoute });
}

// ---------------------------------------------------------------------------------------------
// Fixed cases: each once per run (body over the limit, protocol-level errors)

export function fixedCases(targets: FuzzTarget[], token: string): CaseDraft[] {
  const withBody = targets.find((t) => t.operationId === 'createWatchlist') ?? targets.find((t) => t.body);
  const out: CaseDraft[] = [];
  const auth = `Bearer ${token}`;
  if (withBody) {
    const headers = { authorization: auth, accept: 'application/json', 'content-type': 'application/json' };
    out.push(
      { target: withBody.operationId, kind: 'body-too-large', detail: '10 MiB + 1 byte, Content-Length', request: { method: withBody.method, url: withBody.path, headers, bodySize: 10 * 1024 * 1024 + 1 }, expect: { reject: true, status: [413], code: [1004] }, mutating: true, stream: false },
      { target: withBody.operationId, kind: 'body-too-large', detail: '10 MiB + 1 byte, chunked', request: { method: withBody.method, url: withBody.path, headers, bodySize: 10 * 1024 * 1024 + 1, chunked: true }, expect: { reject: true, status: [413], code: [1004] }, mutating: true, stream: false },
    );
  }
  const raw = (detail: string, message: string, status: number[]): CaseDraft => ({
    target: 'protocol',
    kind: 'protocol',
    detail,
    request: { method: message.split(' ')[0] ?? '?', url: message.split(' ')[1] ?? '?', headers: {}, raw: message },
    expect: { reject: true, status },
    mutating: false,
    stream: false,
  });
  const h = `Host: {HOST}\r\nAuthorization: ${auth}\r\nAccept: application/json\r\n`;
  out.push(
    raw('Content-Length not a number', `POST /api/watchlists HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}`, [400]),
    raw('two different Content-Lengths', `POST /api/watchlists HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, [400]),
    raw('bad chunk size', `POST /api/watchlists HTTP/1.1\r\n${h}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, [400]),
    raw('header over 16 KiB', `GET /api/system/health HTTP/1.1\r\n${h}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, [400, 431]),
    raw('space in the request target', `GET /api/system/health x HTTP/1.1\r\n${h}\r\n`, [400]),
    raw('control character in the target', `GET /api/system/\u0001health HTTP/1.1\r\n${h}\r\n`, [400]),
    raw('no Host header', `GET /api/system/health HTTP/1.1\r\nAuthorization: ${auth}\r\n\r\n`, [400, 403]),
    // RFC 9112 §3.2.2: the authority of an absolute-form target replaces the Host header.
    raw('absolute-form target to another host', `GET http://evil.example/api/system/health HTTP/1.1\r\n${h}\r\n`, [400, 403]),
  );
  return out;
}
