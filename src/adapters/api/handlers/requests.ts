import { submitRequest, submitRequestIdempotently } from '../../../app/chat/submit-request.ts';
import { listRequests } from '../../../app/list-requests.ts';
import { requestFingerprint } from '../../../app/request-elevation.ts';
import { viewRequest } from '../../../app/view-request.ts';
import { ElevateError } from '../../../domain/errors.ts';
import type { RequestSource } from '../../../domain/request.ts';
import { defineRoute } from '../api-route.ts';
import { waitForChange } from '../long-poll.ts';
import { presentRequest } from '../present.ts';
import { CreateRequestBody, NoQuery, RequestEnvelope, RequestList, RequestListQuery, RequestQuery } from '../schemas.ts';

/** A key a client generated for one logical request (RFC draft "The Idempotency-Key HTTP Header Field"). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export const createRequestRoute = defineRoute({
  method: 'POST',
  path: '/requests',
  operationId: 'createRequest',
  summary:
    'Ask for a scope. Policy and validation are the chat ones; with an Idempotency-Key header, a retry with the same key and body returns the same request, and the same key with another body is refused (422).',
  authenticated: true,
  query: NoQuery,
  body: CreateRequestBody,
  answer: { status: 201, schema: RequestEnvelope, description: 'The request: pending review, approved automatically (its grant follows), or denied automatically with the reason.' },
  refusals: ['invalid_input', 'unknown_scope', 'duration_invalid', 'duration_too_long', 'reason_required', 'reason_mismatch', 'not_allowed_to_request', 'no_reviewer_channel', 'idempotency_key_reused'],
  async handle({ deps, actor, body, req }) {
    const source: RequestSource = /^elevate-cli\//.test(req.headers['user-agent'] ?? '') ? 'cli' : 'api';
    const input = { actor, scopeName: body.scope, duration: body.duration, reason: body.reason, source };
    const key = readIdempotencyKey(req.headers['idempotency-key']);
    const outcome = key === null ? { replayed: false, request: (await submitRequest(deps, input)).request } : await submitRequestIdempotently(deps, input, { key, fingerprint: requestFingerprint(input) });
    const view = await viewRequest(deps, actor, outcome.request.id);
    const headers: Record<string, string> = outcome.replayed ? { 'idempotent-replayed': 'true' } : {};
    return { status: 201, json: { request: presentRequest(view) }, headers };
  },
});

export const getRequestRoute = defineRoute({
  method: 'GET',
  path: '/requests/{id}',
  operationId: 'getRequest',
  summary: 'One request, for its requester, its eligible approvers and admins. `wait` (≤ 60 s) long-polls until its status or its grant changes.',
  authenticated: true,
  query: RequestQuery,
  answer: { status: 200, schema: RequestEnvelope, description: 'The request as it is now.' },
  refusals: ['not_found'],
  async handle({ deps, actor, params, query, signal }) {
    const read = () => viewRequest(deps, actor, params['id']!);
    const view = query.wait ? await waitForChange(read, (v) => `${v.request.status}/${v.grant?.status ?? '-'}/${v.reviews.length}`, query.wait * 1000, signal) : await read();
    return { status: 200, json: { request: presentRequest(view) } };
  },
});

export const listRequestsRoute = defineRoute({
  method: 'GET',
  path: '/requests',
  operationId: 'listRequests',
  summary: 'The caller\'s own requests (`role=requester`, the default), or an approver\'s queue (`role=approver&status=pending`), newest first.',
  authenticated: true,
  query: RequestListQuery,
  answer: { status: 200, schema: RequestList, description: 'At most 100 requests.' },
  refusals: ['invalid_input'],
  async handle({ deps, actor, query }) {
    const views = await listRequests(deps, actor, { role: query.role ?? 'requester', statuses: query.status ? [query.status] : undefined });
    return { status: 200, json: { requests: views.map(presentRequest) } };
  },
});

function readIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !IDEMPOTENCY_KEY.test(value)) {
    throw new ElevateError('invalid_input', 'The Idempotency-Key header must be 1–128 visible ASCII characters, e.g. a UUID.', { details: { fields: [{ field: 'header.idempotency-key', message: '1–128 visible ASCII characters' }] } });
  }
  return value;
}
