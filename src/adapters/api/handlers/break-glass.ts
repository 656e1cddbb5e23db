import { reviewBreakGlassFromChat } from '../../../app/chat/review-break-glass-from-chat.ts';
import { submitBreakGlass } from '../../../app/chat/submit-break-glass.ts';
import { viewRequest } from '../../../app/view-request.ts';
import type { BreakGlassVerdict } from '../../../domain/request.ts';
import { defineRoute } from '../api-route.ts';
import { presentRequest } from '../present.ts';
import { BreakGlassBody, BreakGlassReviewBody, NoQuery, RequestEnvelope } from '../schemas.ts';

export const breakGlassRoute = defineRoute({
  method: 'POST',
  path: '/break-glass',
  operationId: 'breakGlass',
  summary:
    'Take a scope at once, without approvers, where the scope allows break-glass (`break_glass.allowed`); a reason is required. The grant is announced in the scope\'s reviewer and broadcast channels and must be acknowledged or flagged by an eligible approver within `break_glass.review_within`. A scope that needs requester MFA answers `verifying` first.',
  authenticated: true,
  query: NoQuery,
  body: BreakGlassBody,
  answer: { status: 201, schema: RequestEnvelope, description: 'The break-glass request, approved (its grant follows) or verifying.' },
  refusals: ['invalid_input', 'unknown_scope', 'not_allowed_to_request', 'break_glass_not_allowed', 'duration_invalid', 'duration_too_long', 'reason_required', 'reason_mismatch', 'step_up_unavailable'],
  async handle({ deps, actor, body, req }) {
    const source = /^elevate-cli\//.test(req.headers['user-agent'] ?? '') ? ('cli' as const) : ('api' as const);
    const { request } = await submitBreakGlass(deps, { actor, scopeName: body.scope, duration: body.duration, reason: body.reason, source });
    return { status: 201, json: { request: presentRequest(await viewRequest(deps, actor, request.id)) } };
  },
});

const reviewRoute = (verdict: BreakGlassVerdict, path: string, operationId: string, summary: string) =>
  defineRoute({
    method: 'POST',
    path,
    operationId,
    summary,
    authenticated: true,
    query: NoQuery,
    body: BreakGlassReviewBody,
    answer: { status: 200, schema: RequestEnvelope, description: 'The break-glass request with its review.' },
    refusals: ['not_found', 'self_approval', 'not_an_approver', 'already_reviewed'],
    async handle({ deps, actor, params, body }) {
      const request = await reviewBreakGlassFromChat(deps, { requestId: params['id']!, actor, verdict, note: body.note });
      return { status: 200, json: { request: presentRequest(await viewRequest(deps, actor, request.id)) } };
    },
  });

export const acknowledgeBreakGlassRoute = reviewRoute('acknowledged', '/requests/{id}/acknowledge', 'acknowledgeBreakGlass', 'Acknowledge a break-glass grant after the fact: an eligible approver of its scope, never its requester. The first review stands.');
export const flagBreakGlassRoute = reviewRoute('flagged', '/requests/{id}/flag', 'flagBreakGlass', 'Flag a break-glass grant: audited and posted again to the scope\'s broadcast channels. An eligible approver, never its requester; the first review stands.');
