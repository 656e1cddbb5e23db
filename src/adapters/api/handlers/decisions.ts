import { cancelFromChat } from '../../../app/chat/cancel-from-chat.ts';
import { decideRequest } from '../../../app/chat/decide-request.ts';
import { viewRequest } from '../../../app/view-request.ts';
import { defineRoute, type ApiCall } from '../api-route.ts';
import { presentRequest } from '../present.ts';
import { ApproveBody, DenyBody, EmptyBody, NoQuery, RequestEnvelope } from '../schemas.ts';

const REVIEW_REFUSALS = ['not_found', 'self_approval', 'not_an_approver', 'already_reviewed', 'already_decided', 'request_expired'];

async function answerWithRequest(call: Pick<ApiCall, 'deps' | 'actor'>, requestId: string) {
  return { status: 200, json: { request: presentRequest(await viewRequest(call.deps, call.actor, requestId)) } };
}

export const approveRoute = defineRoute({
  method: 'POST',
  path: '/requests/{id}/approve',
  operationId: 'approveRequest',
  summary: 'Approve as an eligible approver (never one\'s own request). The chat messages are updated in place; the last approval needed issues the grant.',
  authenticated: true,
  query: NoQuery,
  body: ApproveBody,
  answer: { status: 200, schema: RequestEnvelope, description: 'The request after the approval.' },
  refusals: REVIEW_REFUSALS,
  async handle(call) {
    await decideRequest(call.deps, { requestId: call.params['id']!, actor: call.actor, decision: 'approve', comment: call.body.comment });
    return answerWithRequest(call, call.params['id']!);
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
