import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The OpenAPI document is the contract with outside clients (ADR-0016). The committed copy,
 * reference-app/openapi.json, is what clients were promised; the served one is what the code
 * does. Adding operations, responses or optional fields is compatible; removing an operation
 * or a response, or requiring a field or parameter a client could omit before, breaks them.
 * `UPDATE_OPENAPI_CONTRACT=1` rewrites the committed copy, a change reviewed like any other.
 */
const CONTRACT = fileURLToPath(new URL('../../openapi.json', import.meta.url));

interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: { required?: string[] } }> };
  responses?: Record<string, unknown>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Every change from `promised` to `served` that an existing client would notice. */
export function breakingChanges(promised: Doc, served: Doc): string[] {
  const breaks: string[] = [];
  for (const [path, item] of Object.entries(promised.paths)) {
    for (const [method, before] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const op = `${method.toUpperCase()} ${path}`;
      const after = served.paths[path]?.[method];
      if (!after) {
        breaks.push(`${op} was removed`);
        continue;
      }
      for (const status of Object.keys(before.responses ?? {})) {
        if (!(status in (after.responses ?? {}))) breaks.push(`${op} no longer answers ${status}`);
      }
      const requiredBefore = new Set((before.parameters ?? []).filter((p) => p.required).map((p) => `${p.in}:${p.name}`));
      for (const p of after.parameters ?? []) {
        if (p.required && !requiredBefore.has(`${p.in}:${p.name}`)) breaks.push(`${op} now requires ${p.in} parameter ${p.name}`);
      }
      const bodyRequired = (o: Operation) => new Set(Object.values(o.requestBody?.content ?? {}).flatMap((c) => c.schema?.required ?? []));
      const before_ = bodyRequired(before);
      for (const field of bodyRequired(after)) if (!before_.has(field)) breaks.push(`${op} now requires body field ${field}`);
    }
  }
  return breaks;
}

describe('the served OpenAPI document keeps the committed contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('removes no operation or response, and requires nothing new of existing clients', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const served = response.json<Doc>();
    if (process.env.UPDATE_OPENAPI_CONTRACT === '1') writeFileSync(CONTRACT, `${JSON.stringify(served, null, 2)}\n`);
    expect(existsSync(CONTRACT), 'reference-app/openapi.json is missing: run with UPDATE_OPENAPI_CONTRACT=1 once').toBe(true);
    const promised = JSON.parse(readFileSync(CONTRACT, 'utf8')) as Doc;
    expect(Object.keys(promised.paths).length).toBeGreaterThan(10);
    expect(breakingChanges(promised, served)).toEqual([]);
  });
});

describe('what counts as breaking', () => {
  const doc = (op: Operation): Doc => ({ paths: { '/api/x': { post: op } } });
  const base: Operation = { parameters: [{ in: 'query', name: 'limit' }], requestBody: { content: { 'application/json': { schema: { required: ['a'] } } } }, responses: { '201': {}, '400': {} } };

  it('flags removed operations and responses, new required parameters and body fields', () => {
    expect(breakingChanges(doc(base), { paths: {} })).toEqual(['POST /api/x was removed']);
    expect(breakingChanges(doc(base), doc({ ...base, responses: { '201': {} } }))).toEqual(['POST /api/x no longer answers 400']);
    expect(breakingChanges(doc(base), doc({ ...base, parameters: [{ in: 'query', name: 'limit', required: true }] }))).toEqual(['POST /api/x now requires query parameter limit']);
    expect(breakingChanges(doc(base), doc({ ...base, requestBody: { content: { 'application/json': { schema: { required: ['a', 'b'] } } } } }))).toEqual(['POST /api/x now requires body field b']);
  });

  it('accepts additions', () => {
    const added: Doc = { paths: { ...doc({ ...base, responses: { '201': {}, '400': {}, '409': {} } }).paths, '/api/y': { get: {} } } };
    expect(breakingChanges(doc(base), added)).toEqual([]);
  });
});
