import { verifyAndDeliver } from '../../../app/chat/verify-and-deliver.ts';
import { issueStepUpLink } from '../../../app/step-up/issue-step-up-link.ts';
import { viewRequest } from '../../../app/view-request.ts';
import { defineRoute } from '../api-route.ts';
import { presentRequest } from '../present.ts';
import { EmptyBody, NoQuery, RequestEnvelope, StepUpLinkResource } from '../schemas.ts';
import { evidenceFromToken } from '../token-evidence.ts';

export const verifyRoute = defineRoute({
  method: 'POST',
  path: '/requests/{id}/verification',
  operationId: 'verifyRequest',
  summary:
    'The requester of a `verifying` request verifies with the bearer token\'s own sign-in (`auth_time`, `acr`, `amr`); the token is then issued. A sign-in too old or too weak for the scope is answered 401 with an RFC 9470 `insufficient_user_authentication` challenge (`acr_values`, `max_age`): sign in again with those and retry. Sent again after success, it answers the request as it is.',
  authenticated: true,
  query: NoQuery,
  body: EmptyBody,
  answer: { status: 200, schema: RequestEnvelope, description: 'The request, verified, with its grant (active, or issue_failed).' },
  refusals: ['not_found', 'forbidden', 'already_decided', 'request_expired', 'step_up_required'],
  async handle({ deps, actor, params, caller }) {
    const view = await verifyAndDeliver(deps, { requestId: params['id']!, actor, evidence: evidenceFromToken(caller.token) });
    return { status: 200, json: { request: presentRequest(view) } };
  },
});

export const verificationLinkRoute = defineRoute({
  method: 'POST',
  path: '/requests/{id}/verification-link',
  operationId: 'createVerificationLink',
  summary:
    'A one-time browser link to verify with a multi-factor sign-in at the OpenID provider: for the requester of a `verifying` request (to receive the token), or for an eligible approver of a pending one (to approve). It works once, for 10 minutes; treat it as a secret.',
  authenticated: true,
  query: NoQuery,
  body: EmptyBody,
  answer: { status: 201, schema: StepUpLinkResource, description: 'The link and when it stops working.' },
  refusals: ['not_found', 'step_up_refused', 'step_up_unavailable'],
  async handle({ deps, actor, params }) {
    const view = await viewRequest(deps, actor, params['id']!);
    const purpose = view.request.requesterId === actor.principalId ? 'receive' : 'approve';
    const link = await issueStepUpLink(deps, { purpose, requestId: view.request.id, principalId: actor.principalId });
    return { status: 201, json: { purpose: link.purpose, url: link.url, expires_at: link.expiresAt.toISOString() } };
  },
});
