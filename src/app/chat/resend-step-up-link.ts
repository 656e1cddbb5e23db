import { ElevateError } from '../../domain/errors.ts';
import { resolveActor, type Actor } from '../actor.ts';
import { issueStepUpLink } from '../step-up/issue-step-up-link.ts';
import { viewRequest } from '../view-request.ts';
import type { ChatDeps } from './chat-deps.ts';
import { notifyPrincipal } from './notify-principal.ts';

/**
 * `verify <request id>`: a new one-time link for the requester of a request that waits for their
 * multi-factor verification, sent privately like the first (the old link still works until it is
 * used or expires; each works once). Only the requester: an approver asks for theirs by clicking
 * Approve again, so a link never records an approval nobody clicked. Anyone who may not see the
 * request is told it does not exist.
 */
export async function resendStepUpLink(deps: ChatDeps, requestId: string, actor: Actor): Promise<{ delivered: number }> {
  const person = await resolveActor(deps.store, actor);
  const view = await viewRequest(deps, actor, requestId);
  const { request } = view;
  if (request.requesterId !== person.id) {
    throw new ElevateError('forbidden', 'Only the requester verifies to receive a token. To approve on a scope that asks for it, click Approve (or `elevate approve`): a link comes with it.', {
      details: { requestId: request.id },
    });
  }
  const link = await issueStepUpLink(deps, { purpose: 'receive', requestId: request.id, principalId: request.requesterId });
  const delivered = await notifyPrincipal(deps, request.requesterId, { kind: 'verify_to_receive', view, link: { url: link.url, expiresAt: link.expiresAt } });
  return { delivered };
}
