import type { Clock } from '../../domain/clock.ts';
import { ElevateError } from '../../domain/errors.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import { evaluateReview, type ReviewDecision } from '../../domain/review.ts';
import type { ScopeDefinition } from '../../domain/scope.ts';
import type { StoreReader } from '../../ports/store.ts';
import { resolveActor, type Actor } from '../actor.ts';

/**
 * A dry run of a review: throws the refusal the real review would throw (self-approval, not an
 * approver, already decided, expired, already reviewed) without writing anything. Used before
 * asking an approver for a denial reason, so nobody fills in a form only to be refused. The real
 * review checks again under a lock.
 */
export async function checkMayReview(
  deps: { store: StoreReader; clock: Clock },
  input: { requestId: string; actor: Actor; decision: ReviewDecision },
): Promise<{ request: ElevationRequest; scope: ScopeDefinition }> {
  const reviewer = await resolveActor(deps.store, input.actor);
  const request = await deps.store.getRequest(input.requestId);
  if (!request) throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId: input.requestId } });
  const scope = await deps.store.getScope(request.scopeName);
  if (!scope) throw new ElevateError('unknown_scope', `Scope ${request.scopeName} no longer exists.`, { details: { requestId: request.id } });
  const previous = await deps.store.listReviews(request.id);
  evaluateReview({ request, scope, previous, approverId: reviewer.id, decision: input.decision, now: deps.clock.now() });
  return { request, scope };
}
