import { endGrantFromChat } from '../../../app/chat/end-grant-from-chat.ts';
import { revealToken, type RevealedToken } from '../../../app/chat/reveal-token.ts';
import { listGrants } from '../../../app/list-grants.ts';
import { ElevateError } from '../../../domain/errors.ts';
import { defineRoute } from '../api-route.ts';
import { presentGrant, presentRequest } from '../present.ts';
import { EmptyBody, ExtendGrantBody, GrantEnvelope, GrantList, GrantListQuery, NoQuery, RequestEnvelope, TokenResource } from '../schemas.ts';
import { submitExtension } from '../../../app/chat/submit-extension.ts';
import { viewRequest } from '../../../app/view-request.ts';

export const listGrantsRoute = defineRoute({
  method: 'GET',
  path: '/grants',
  operationId: 'listGrants',
  summary: 'The caller\'s own grants, ending soonest first; `status=active` for the live ones.',
  authenticated: true,
  query: GrantListQuery,
  answer: { status: 200, schema: GrantList, description: 'The caller\'s grants.' },
  refusals: ['invalid_input'],
  async handle({ deps, actor, query }) {
    const grants = await listGrants(deps, actor, { statuses: query.status ? [query.status] : undefined });
    return { status: 200, json: { grants: grants.map(({ grant, request }) => presentGrant(grant, request)) } };
  },
});

export const revealTokenRoute = defineRoute({
  method: 'POST',
  path: '/grants/{id}/token',
  operationId: 'revealToken',
  summary: 'The access token of an active grant, to its requester only; every reveal is audited as grant.delivered. Never cached.',
  authenticated: true,
  query: NoQuery,
  body: EmptyBody,
  answer: { status: 200, schema: TokenResource, description: 'The token, with Cache-Control: no-store.' },
  refusals: ['not_found', 'forbidden', 'grant_inactive'],
  async handle({ deps, actor, params }) {
    let revealed: RevealedToken | null = null;
    // The audit record is written before the answer leaves: a reveal is never unrecorded.
    await revealToken(deps, { grantId: params['id']!, actor, via: 'api' }, async (token) => {
      revealed = token;
    });
    const token = revealed as RevealedToken | null;
    if (!token) throw new ElevateError('internal', 'The token was not handed over.');
    const view = await deps.store.getScope(token.scopeName);
    return {
      status: 200,
      json: {
        access_token: token.accessToken,
        token_type: token.tokenType,
        expires_at: token.endsAt.toISOString(),
        grant_id: token.grantId,
        scope: view?.oauthScope ?? '',
        audience: view?.audience ?? '',
      },
      headers: { pragma: 'no-cache' },
    };
  },
});

export const endGrantRoute = defineRoute({
  method: 'POST',
  path: '/grants/{id}/end',
  operationId: 'endGrant',
  summary: 'End a grant now: its requester ("I\'m done"), an approver of its scope, or an admin. The token is revoked at the AS.',
  authenticated: true,
  query: NoQuery,
  body: EmptyBody,
  answer: { status: 200, schema: GrantEnvelope, description: 'The grant: revoked, or revoking while the AS is unreachable (retried by the sweeper).' },
  refusals: ['not_found', 'forbidden'],
  async handle({ deps, actor, params }) {
    const result = await endGrantFromChat(deps, params['id']!, actor);
    const request = await deps.store.getRequest(result.grant.requestId);
    if (!request) throw new ElevateError('not_found', 'That grant does not exist.');
    return { status: 200, json: { grant: presentGrant(result.grant, request) } };
  },
});

export const extendGrantRoute = defineRoute({
  method: 'POST',
  path: '/grants/{id}/extensions',
  operationId: 'extendGrant',
  summary:
    'Ask to extend an active grant (its requester only). The extension is a request of its own (`extendsGrantId`), reviewed in the scope\'s reviewer channels (or approved at once where `extend.approvals_required` is 0). Once approved, a new grant runs until the old end plus the extension and the old grant is revoked after the new one is recorded.',
  authenticated: true,
  query: NoQuery,
  body: ExtendGrantBody,
  answer: { status: 201, schema: RequestEnvelope, description: 'The extension request: pending review, or approved (its grant follows).' },
  refusals: ['not_found', 'forbidden', 'grant_inactive', 'extension_not_allowed', 'extension_pending', 'duration_invalid', 'duration_too_long', 'reason_mismatch', 'no_reviewer_channel'],
  async handle({ deps, actor, params, body, req }) {
    const source = /^elevate-cli\//.test(req.headers['user-agent'] ?? '') ? ('cli' as const) : ('api' as const);
    const { request } = await submitExtension(deps, { actor, grantId: params['id']!, duration: body.duration, reason: body.reason, source });
    return { status: 201, json: { request: presentRequest(await viewRequest(deps, actor, request.id)) } };
  },
});
