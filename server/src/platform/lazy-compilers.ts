/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), deferred
 * to a route's first use and shared between identical schemas. Compiling every route's schemas
 * eagerly cost about half of the server's start-up (and grows with each route); every route's
 * error responses share one schema, so they now share one serializer.
 */
import ValidatorSelector from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
  httpStatus?: string;
}
type Build<F> = (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => F;

/** A validator that compiles on its first call and exposes the compiled one's `errors`, as Fastify expects. */
function lazyValidator(compile: () => Validate): Validate {
  let compiled: Validate | undefined;
  const validate: Validate = (data) => {
    compiled ??= compile();
    const result = compiled(data);
    validate.errors = compiled.errors;
    return result;
  };
  return validate;
}

function lazySerializer(compile: () => Serialize): Serialize {
  let compiled: Serialize | undefined;
  return (data) => (compiled ??= compile())(data);
}

export function lazyCompilersFactory() {
  const buildValidator = (ValidatorSelector as unknown as () => Build<Validate>)();
  const buildSerializer = (SerializerSelector as unknown as () => Build<Serialize>)();
  return {
    buildValidator: (externalSchemas: unknown, options: unknown) => {
      const compile = buildValidator(externalSchemas, options);
      return (route: RouteSchema) => lazyValidator(() => compile(route));
    },
    buildSerializer: (externalSchemas: unknown, options: unknown) => {
      const compile = buildSerializer(externalSchemas, options);
      const shared = new Map<string, Serialize>();
      return (route: RouteSchema) => {
        const key = JSON.stringify(route.schema);
        let serialize = shared.get(key);
        if (!serialize) shared.set(key, (serialize = lazySerializer(() => compile(route))));
        return serialize;
      };
    },
  };
}
