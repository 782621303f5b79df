/**
 * The contract walker: every operation of the bundled OpenAPI spec (contracts/gen/openapi.json) as
 * a fuzz target, with the schemas the server validates with (server/src/platform/contract.ts) and
 * what the fuzzer needs besides: the OpenAPI path, the path parameters in order, whether the
 * operation streams (text/event-stream) and whether it may change state. New operations are
 * picked up without any change here.
 */
import spec from '../../contracts/gen/openapi.json' with { type: 'json' };
import { contractOperations, type OperationId } from '../../server/src/platform/contract';

export type JsonSchema = Record<string, unknown>;

export interface FuzzTarget {
  operationId: OperationId;
  method: string;
  /** OpenAPI path, e.g. `/api/watchlists/{id}/items/{symbol}`. */
  path: string;
  /** Path parameter names in URL order. */
  pathParams: string[];
  params?: JsonSchema;
  query?: JsonSchema;
  body?: JsonSchema;
  bodyRequired: boolean;
  isPublic: boolean;
  successStatus: number;
  /** Answers a Server-Sent Events stream when the request is valid. */
  stream: boolean;
  /** Anything but GET may change state. */
  mutating: boolean;
}

type Obj = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function fuzzTargets(): FuzzTarget[] {
  const targets: FuzzTarget[] = [];
  for (const [path, item] of Object.entries((spec as unknown as { paths: Record<string, Obj> }).paths)) {
    for (const method of METHODS) {
      const raw = item[method] as Obj | undefined;
      if (!raw) continue;
      const op = contractOperations.get(raw.operationId as OperationId);
      if (!op) throw new Error(`${method.toUpperCase()} ${path}: operation ${String(raw.operationId)} not derived by contract.ts`);
      const responses = (raw.responses ?? {}) as Record<string, Obj>;
      const stream = Object.entries(responses).some(
        ([status, res]) => /^2\d\d$/.test(status) && Object.keys((res.content ?? {}) as Obj).includes('text/event-stream'),
      );
      const schema = op.schema as { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema };
      targets.push({
        operationId: op.operationId,
        method: op.method as string,
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        params: schema.params,
        query: schema.querystring,
        body: schema.body,
        bodyRequired: Boolean((raw.requestBody as Obj | undefined)?.required),
        isPublic: op.isPublic,
        successStatus: op.successStatus,
        stream,
        mutating: op.method !== 'GET',
      });
    }
  }
  if (targets.length !== contractOperations.size) {
    throw new Error(`walked ${targets.length} operations but contract.ts derives ${contractOperations.size}`);
  }
  return targets;
}

/** The methods each OpenAPI path answers (for wrong-method cases). */
export function methodsByPath(targets: FuzzTarget[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const t of targets) {
    const set = map.get(t.path) ?? new Set<string>();
    set.add(t.method);
    map.set(t.path, set);
  }
  return map;
}

/** Does a concrete URL path (no query) match a contract path template? */
export function matchesTemplate(template: string, urlPath: string): boolean {
  const pattern = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${pattern}$`).test(urlPath);
}
