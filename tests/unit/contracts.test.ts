/**
 * The contracts are the single source of truth: generated files must match them, every operation
 * must be complete, and the server must implement exactly the operations the contracts declare.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-contracts';
import { contractOperations } from '../../server/src/platform/contract';
import spec from '../../contracts/gen/openapi.json' with { type: 'json' };
import { testServer } from '../helpers/server';

const root = path.resolve(import.meta.dirname, '../..');

type Json = Record<string, unknown>;

describe('contracts', () => {
  it('generated files are up to date (run `npm run gen` after editing contracts/*.yaml)', async () => {
    const files = await generate();
    for (const [rel, text] of Object.entries(files)) {
      expect(readFileSync(path.join(root, rel), 'utf8'), `${rel} is stale`).toBe(text);
    }
  });

  it('every operation has an operationId, a success schema and an error response', () => {
    for (const [p, item] of Object.entries(spec.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item) as [string, Json][]) {
        const where = `${method.toUpperCase()} ${p}`;
        expect(typeof op.operationId, where).toBe('string');
        const responses = op.responses as Json;
        const ok = (responses['200'] ?? responses['201'] ?? responses['202']) as Json | undefined;
        expect(ok, `${where} success response`).toBeDefined();
        const mediaType = op['x-sse-topic'] ? 'text/event-stream' : 'application/json';
        expect((ok!.content as Json)[mediaType], `${where} success schema`).toBeDefined();
        expect(responses['4XX'], `${where} 4XX response`).toBeDefined();
      }
    }
  });

  it('request bodies reject unknown fields', () => {
    for (const op of contractOperations.values()) {
      const body = op.schema.body as Json | undefined;
      if (body && body.type === 'object') expect(body.additionalProperties, op.operationId).toBe(false);
      const query = op.schema.querystring as Json | undefined;
      if (query) expect(query.additionalProperties, op.operationId).toBe(false);
    }
  });

  it('the server implements every contract operation and refuses /api routes without one', async () => {
    const server = await testServer();
    try {
      for (const op of contractOperations.values()) {
        expect(server.app.hasRoute({ method: op.method, url: op.url }), `${op.operationId} is not registered`).toBe(true);
      }
      expect(() => server.app.get('/api/undeclared', async () => 'x')).toThrow(/no contract operation/);
    } finally {
      await server.close();
    }
  });

  it('serves the same contract as browsable API docs', async () => {
    const server = await testServer();
    try {
      const json = await server.request({ method: 'GET', url: '/api/docs/json' });
      expect(json.statusCode).toBe(200);
      expect(json.json().paths).toEqual(spec.paths);
      const ui = await server.request({ method: 'GET', url: '/api/docs' });
      expect(ui.statusCode).toBe(200);
      expect(ui.body).toContain('swagger');
    } finally {
      await server.close();
    }
  });
});
