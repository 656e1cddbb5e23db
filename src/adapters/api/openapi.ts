import { z } from 'zod';
import type { ApiRoute } from './api-route.ts';
import { problemType } from './problem.ts';
import { apiSchemas, Problem } from './schemas.ts';

export const API_BASE_PATH = '/api/v1';

/**
 * The OpenAPI 3.1 document of the API, generated from the routes and the zod schemas that
 * validate them (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Named schemas become
 * `components.schemas`, referenced by `$ref`.
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[], options: { serverUrl: string; version: string }): Record<string, unknown> {
  const generated = z.toJSONSchema(apiSchemas, { target: 'draft-2020-12', io: 'input', uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Record<string, unknown>> };
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([id, schema]) => [id, withoutIdentity(schema)]));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Elevate API',
      version: options.version,
      description:
        'Just-in-time privilege elevation: request a scope, approve or deny, receive a short-lived token. Authenticate with a bearer access token from your organisation\'s authorization server (audience: the API identifier). Errors are RFC 9457 problem documents whose `type` is urn:elevate:problem:<code>.',
    },
    servers: [{ url: `${options.serverUrl.replace(/\/+$/, '')}${API_BASE_PATH}` }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token for the API audience, issued by the organisation\'s authorization server (JWT per RFC 9068, or opaque and introspected).' } },
      responses: {
        Problem: { description: 'The call was refused; `code` says why.', content: { 'application/problem+json': { schema: ref(Problem) } } },
        StepUpRequired: {
          description:
            'The bearer token is invalid (`error="invalid_token"`), or (`code` step_up_required) its sign-in is too old or too weak for the scope: sign in again asking for the challenge\'s `acr_values` and `max_age`, then retry (RFC 9470).',
          headers: {
            'WWW-Authenticate': {
              description: 'e.g. `Bearer error="insufficient_user_authentication", error_description="…", acr_values="urn:example:loa:3", max_age=300` (acr_values left out when the scope asks for none).',
              schema: { type: 'string' },
            },
          },
          content: { 'application/problem+json': { schema: ref(Problem) } },
        },
      },
    },
  };
}

function operation(route: ApiRoute): Record<string, unknown> {
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } })),
    ...queryParameters(route),
  ];
  if (route.operationId === 'createRequest') {
    parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 128 } as never });
  }
  const answer = route.answer.schema
    ? { description: route.answer.description, content: { 'application/json': { schema: ref(route.answer.schema) } } }
    : { description: route.answer.description, content: { [route.answer.contentType ?? 'text/plain']: { schema: { type: 'string' } } } };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.authenticated ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body && route.method === 'POST' ? { requestBody: { required: false, content: { 'application/json': { schema: ref(route.body) } } } } : {}),
    responses: {
      [String(route.answer.status)]: answer,
      ...(route.refusals.includes('step_up_required') ? { '401': { $ref: '#/components/responses/StepUpRequired' } } : {}),
      default: { $ref: '#/components/responses/Problem' },
    },
    'x-elevate-refusals': route.refusals.map((code) => problemType(code as never)),
  };
}

function queryParameters(route: ApiRoute): Record<string, unknown>[] {
  if (!route.query) return [];
  const schema = z.toJSONSchema(route.query, { target: 'draft-2020-12', io: 'input' }) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: withoutIdentity(property),
  }));
}

function ref(schema: z.ZodType): Record<string, string> {
  const id = apiSchemas.get(schema)?.id;
  if (!id) throw new Error('every body and answer schema of the API must be registered in apiSchemas');
  return { $ref: `#/components/schemas/${id}` };
}

function withoutIdentity(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}
