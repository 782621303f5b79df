/**
 * Routes take their schemas from the bundled contracts (contracts/gen/openapi.json), looked up by
 * operationId: Fastify validates requests and serializes responses with them, and handler types
 * come from contracts/gen/api.ts. A route cannot exist without its contract.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';
import spec from '../../../contracts/gen/openapi.json' with { type: 'json' };
import type { operations } from '../../../contracts/gen/api';

export type OperationId = keyof operations;
type JsonContent<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type Op<K extends OperationId> = operations[K];
type Responses<K extends OperationId> = Op<K>['responses'];
type Success<K extends OperationId> = 200 extends keyof Responses<K> ? Responses<K>[200] : never;

/** The `data` of the operation's success envelope. */
export type OpData<K extends OperationId> = JsonContent<Success<K>> extends { data: infer D } ? D : never;
export type OpBody<K extends OperationId> = Op<K> extends { requestBody?: infer B } ? JsonContent<NonNullable<B>> : never;
export type OpQuery<K extends OperationId> = Op<K>['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never;
export type OpParams<K extends OperationId> = Op<K>['parameters'] extends { path?: infer P } ? NonNullable<P> : never;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: JsonObject;
}

export interface ContractOperation {
  operationId: OperationId;
  method: HTTPMethods;
  /** Fastify-style URL (`/api/x/:id`). */
  url: string;
  /** Operations with `security: []` are reachable without the token. */
  isPublic: boolean;
  /** The contract's success status (200, 201 or 202). */
  successStatus: number;
  /**
   * `x-serializer: native`: responses go through JSON.stringify instead of the schema-compiled
   * serializer, which is slower on large numeric arrays (a test checks they match the schema).
   */
  nativeSerializer: boolean;
  schema: FastifySchema;
}

const document = spec as unknown as JsonObject;

function resolvePointer(ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`external $ref left in bundled contract: ${ref}`);
  let node: Json = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) {
      throw new Error(`unresolvable $ref ${ref}`);
    }
    node = (node as JsonObject)[key] as Json;
  }
  return node;
}

/** Inline every local $ref (the contracts have no recursive schemas). */
export function dereference(node: Json, depth = 0): Json {
  if (depth > 64) throw new Error('contract schema nests too deeply (recursive $ref?)');
  if (Array.isArray(node)) return node.map((n) => dereference(n, depth + 1));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return dereference(resolvePointer(node.$ref), depth + 1);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = dereference(v, depth + 1);
  return out;
}

/**
 * Ajv keywords of the request schemas. `x-error-code` is an annotation. `x-finite` (added by
 * `requestSchema` to every number) closes a gap in Ajv: a query or path string such as `1e309` is
 * coerced to Infinity and then skips every number keyword (type, minimum, maximum), so handlers
 * would see ±Infinity. It is declared for all types because Ajv's number-keyword group is exactly
 * what such a value skips.
 */
export const CONTRACT_KEYWORDS = [
  'x-error-code',
  {
    keyword: 'x-finite',
    schemaType: 'boolean',
    errors: false,
    validate: (finite: boolean, value: unknown) => !finite || typeof value !== 'number' || Number.isFinite(value),
  },
] as const;

const isNumeric = (type: Json) => type === 'number' || type === 'integer' || (Array.isArray(type) && type.some(isNumeric));

/** A request schema with `x-finite: true` beside every numeric type, so no number past validation is ±Infinity. */
function requestSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(requestSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'enum' || k === 'const' || k === 'examples' ? v : requestSchema(v);
  if (isNumeric(node.type ?? null)) out['x-finite'] = true;
  return out;
}

function objectSchema(params: ParameterObject[]): JsonObject | undefined {
  if (params.length === 0) return undefined;
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const p of params) {
    const schema = requestSchema(p.schema) as JsonObject;
    properties[p.name] = p.description ? { ...schema, description: p.description } : schema;
    if (p.required) required.push(p.name);
  }
  // Unknown query/path fields are rejected, as unknown body fields are.
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) };
}

function buildOperations(): Map<OperationId, ContractOperation> {
  const ops = new Map<OperationId, ContractOperation>();
  const paths = document.paths as JsonObject;
  const globalSecurity = document.security as Json[] | undefined;
  for (const [openapiPath, rawItem] of Object.entries(paths)) {
    const item = dereference(rawItem) as JsonObject;
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method] as JsonObject | undefined;
      if (!op) continue;
      const parameters = ((op.parameters ?? []) as unknown as ParameterObject[]).concat(
        (item.parameters ?? []) as unknown as ParameterObject[],
      );
      const schema: FastifySchema = {};
      const query = objectSchema(parameters.filter((p) => p.in === 'query'));
      const pathParams = objectSchema(parameters.filter((p) => p.in === 'path'));
      if (query) schema.querystring = query;
      if (pathParams) schema.params = pathParams;
      const body = (op.requestBody as JsonObject | undefined)?.content as JsonObject | undefined;
      const bodySchema = (body?.['application/json'] as JsonObject | undefined)?.schema;
      if (bodySchema) schema.body = requestSchema(bodySchema);
      const response: Record<string, Json> = {};
      const successStatus = Number(Object.keys((op.responses ?? {}) as JsonObject).find((k) => /^2\d\d$/.test(k)) ?? 200);
      for (const [status, res] of Object.entries((op.responses ?? {}) as JsonObject)) {
        const content = (res as JsonObject).content as JsonObject | undefined;
        const resSchema = (content?.['application/json'] as JsonObject | undefined)?.schema;
        if (resSchema) response[status.toLowerCase()] = resSchema;
      }
      schema.response = response;
      const security = (op.security as Json[] | undefined) ?? globalSecurity ?? [];
      ops.set(op.operationId as OperationId, {
        operationId: op.operationId as OperationId,
        method: method.toUpperCase() as HTTPMethods,
        url: openapiPath.replace(/\{([^}]+)\}/g, ':$1'),
        isPublic: security.length === 0,
        successStatus,
        nativeSerializer: op['x-serializer'] === 'native',
        schema,
      });
    }
  }
  return ops;
}

export const contractOperations = buildOperations();

const pathPatterns = [...contractOperations.values()].map((op) => ({
  method: op.method,
  pattern: new RegExp(`^${op.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}$`),
}));

/** The methods the contracts define for a concrete path (`/api/watchlists/3`): an answer to a wrong method. */
export function allowedMethods(path: string): string[] {
  return [...new Set(pathPatterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
}

export function contractOperation(id: OperationId): ContractOperation {
  const op = contractOperations.get(id);
  if (!op) throw new Error(`no operation ${id} in contracts`);
  return op;
}

export type RouteRequest<K extends OperationId> = FastifyRequest<{
  Body: OpBody<K>;
  Querystring: OpQuery<K>;
  Params: OpParams<K>;
}>;

/**
 * The UTF-8 JSON of a `T`, made only by `serialized()`: a route answering the same large data
 * again (K-lines) keeps the bytes instead of serializing and encoding the values each time.
 */
export class SerializedJson<T> {
  declare private readonly of: T;

  private constructor(readonly bytes: Buffer) {}

  static of<T>(value: T): SerializedJson<T> {
    return new SerializedJson<T>(Buffer.from(JSON.stringify(value)));
  }

  /** JSON text already made (e.g. a stored document), taken as it is. */
  static fromText<T>(json: string): SerializedJson<T> {
    return new SerializedJson<T>(Buffer.from(json));
  }
}

export const serialized = <T>(value: T): SerializedJson<T> => SerializedJson.of(value);

type RouteData<K extends OperationId> = OpData<K> | SerializedJson<OpData<K>>;

export type RouteHandler<K extends OperationId> = (
  request: RouteRequest<K>,
  reply: FastifyReply,
) => Promise<RouteData<K>> | RouteData<K>;

/**
 * Registers the contract's operation `id` with `handler`, which returns only the `data`;
 * the envelope is added here so every route answers the same shape.
 */
export function defineRoute<K extends OperationId>(app: FastifyInstance, id: K, handler: RouteHandler<K>): void {
  const op = contractOperation(id);
  registerOperation(app, id, async (request, reply) => {
    const data = await handler(request, reply);
    if (!(data instanceof SerializedJson)) return reply.code(op.successStatus).send(envelope(request, data));
    // Bypassing the serializer skips the schema's output filtering: only for `x-serializer: native`
    // operations, whose responses tests check against the schema.
    if (!op.nativeSerializer) throw new Error(`${id} returned pre-serialized JSON but is not x-serializer: native`);
    return reply.code(op.successStatus).type('application/json; charset=utf-8').send(envelopeBytes(request, data.bytes));
  });
}

/**
 * For operations that answer something other than the envelope (a file download): the handler
 * sends the reply itself; errors still go through the one error path.
 */
export function defineFileRoute<K extends OperationId>(app: FastifyInstance, id: K, handler: (request: RouteRequest<K>, reply: FastifyReply) => void): void {
  registerOperation(app, id, async (request, reply) => {
    handler(request, reply);
    return reply;
  });
}

/** For operations that take over the response themselves (SSE streams): validation only. */
export function defineStreamRoute<K extends OperationId>(
  app: FastifyInstance,
  id: K,
  handler: (request: RouteRequest<K>, reply: FastifyReply) => void,
): void {
  registerOperation(app, id, async (request, reply) => {
    handler(request, reply);
    return reply;
  });
}

function registerOperation<K extends OperationId>(
  app: FastifyInstance,
  id: K,
  handler: (request: RouteRequest<K>, reply: FastifyReply) => Promise<unknown>,
): void {
  const op = contractOperation(id);
  app.route({
    method: op.method,
    url: op.url,
    schema: op.schema,
    config: { operationId: id, public: op.isPublic },
    ...(op.nativeSerializer ? { serializerCompiler: () => (data: unknown) => JSON.stringify(data) } : {}),
    handler: (request, reply) => handler(request as RouteRequest<K>, reply),
  });
}

export function envelope<T>(request: FastifyRequest, data: T) {
  return { success: true as const, code: 0 as const, message: 'OK', data, requestId: request.id, timestamp: new Date().toISOString() };
}

const ENVELOPE_HEAD = Buffer.from('{"success":true,"code":0,"message":"OK","data":');

/** `envelope()` around data that is already JSON: the same fields in the same order, as bytes. */
function envelopeBytes(request: FastifyRequest, data: Buffer): Buffer {
  const tail = Buffer.from(`,"requestId":${JSON.stringify(request.id)},"timestamp":"${new Date().toISOString()}"}`);
  return Buffer.concat([ENVELOPE_HEAD, data, tail], ENVELOPE_HEAD.length + data.length + tail.length);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    operationId?: string;
    public?: boolean;
  }
}

/**
 * The ErrorCode a schema asks for when a value fails it (`x-error-code: SYMBOL_INVALID` on the
 * Symbol schema, say): the nearest one along the failing keyword's schema path wins.
 */
export function errorCodeAt(schema: unknown, schemaPath: string): string | undefined {
  let node = schema as Json;
  let found: string | undefined;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (node === null || typeof node !== 'object') break;
    const code = (node as JsonObject)['x-error-code'];
    if (typeof code === 'string') found = code;
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = (Array.isArray(node) ? node[Number(key)] : (node as JsonObject)[key]) as Json;
  }
  if (node !== null && typeof node === 'object' && typeof (node as JsonObject)['x-error-code'] === 'string') {
    found = (node as JsonObject)['x-error-code'] as string;
  }
  return found;
}
