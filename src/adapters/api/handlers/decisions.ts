import { cancelFromChat } from '../../../app/chat/cancel-from-chat.ts';
import { decideRequest } from '../../../app/chat/decide-request.ts';
import { viewRequest } from '../../../app/view-request.ts';
import { defineRoute, type ApiCall } from '../api-route.ts';
import { presentRequest } from '../present.ts';
import { ApproveBody, DenyBody, EmptyBody, NoQuery, RequestEnvelope } from '../schemas.ts';
import { stepUpRequired } from '../step-up-challenge.ts';
import { evidenceFromToken } from '../token-evidence.ts';

const REVIEW_REFUSALS = ['not_found', 'self_approval', 'not_an_approver', 'already_reviewed', 'already_decided', 'request_expired'];

async function answerWithRequest(call: Pick<ApiCall, 'deps' | 'actor'>, requestId: string) {
  return { status: 200, json: { request: presentRequest(await viewRequest(call.deps, call.actor, requestId)) } };
}

export const approveRoute = defineRoute({
  method: 'POST',
  path: '/requests/{id}/approve',
  operationId: 'approveRequest',
  summary:
    'Approve as an eligible approver (never one\'s own request). The chat messages are updated in place; the last approval needed issues the grant, or, when the scope needs its requester\'s MFA, moves the request to `verifying`. On a scope that needs approver MFA the bearer token\'s own `auth_time`/`acr`/`amr` must satisfy it: otherwise 401 with an RFC 9470 `insufficient_user_authentication` challenge (`acr_values`, `max_age`) and nothing recorded.',
  authenticated: true,
  query: NoQuery,
  body: ApproveBody,
  answer: { status: 200, schema: RequestEnvelope, description: 'The request after the approval.' },
  refusals: [...REVIEW_REFUSALS, 'step_up_required'],
  async handle(call) {
    const requestId = call.params['id']!;
    const authentication = evidenceFromToken(call.caller.token);
    const result = await decideRequest(call.deps, { requestId, actor: call.actor, decision: 'approve', comment: call.body.comment, authentication });
    if (result.outcome.kind === 'step_up_required') {
      const { challenge, problem } = result.outcome;
      throw stepUpRequired(`Approving on scope ${result.scope.name} needs a fresh multi-factor sign-in. ${problem}`, challenge, { requestId });
    }
    return answerWithRequest(call, requestId);
  },
});

export const denyRoute = defineRoute({
  method: 'POST',
  path: '/requests/{id}/deny',
  operationId: 'denyRequest',
  summary: 'Deny as an eligible approver, with a reason the requester is shown. One denial denies.',
  authenticated: true,
  query: NoQuery,
  body: DenyBody,
  answer: { status: 200, schema: RequestEnvelope, description: 'The denied request.' },
  refusals: [...REVIEW_REFUSALS, 'invalid_input'],
  async handle(call) {
    await decideRequest(call.deps, { requestId: call.params['id']!, actor: call.actor, decision: 'deny', comment: call.body.reason });
    return answerWithRequest(call, call.params['id']!);
  },
});

export const cancelRoute = defineRoute({
  method: 'POST',
  path: '/requests/{id}/cancel',
  operationId: 'cancelRequest',
  summary: 'Withdraw one\'s own pending request.',
  authenticated: true,
  query: NoQuery,
  body: EmptyBody,
  answer: { status: 200, schema: RequestEnvelope, description: 'The cancelled request.' },
  refusals: ['not_found', 'forbidden', 'already_decided'],
  async handle(call) {
    await cancelFromChat(call.deps, call.params['id']!, call.actor);
    return answerWithRequest(call, call.params['id']!);
  },
});
