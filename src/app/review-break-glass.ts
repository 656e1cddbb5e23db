import { ElevateError } from '../domain/errors.ts';
import type { BreakGlassVerdict, ElevationRequest } from '../domain/request.ts';
import { isEligibleApprover } from '../domain/scope.ts';
import { describeActor, resolveActor, type Actor } from './actor.ts';
import type { CoreDeps } from './deps.ts';
import { MAX_COMMENT_LENGTH } from './review-request.ts';

export interface ReviewBreakGlassInput {
  requestId: string;
  actor: Actor;
  verdict: BreakGlassVerdict;
  note?: string;
}

/**
 * An eligible approver of the scope acknowledges a break-glass grant ("it was right") or flags it
 * ("this needs a look"). Never the requester; the first review stands (compare-and-set), so a
 * second click or a second approver changes nothing and is told so.
 */
export async function reviewBreakGlass(deps: CoreDeps, input: ReviewBreakGlassInput): Promise<ElevationRequest> {
  const { store, clock } = deps;
  const reviewer = await resolveActor(store, input.actor);
  const note = (input.note ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_COMMENT_LENGTH) || null;
  return store.transaction(async (tx) => {
    const request = await tx.lockRequest(input.requestId);
    if (!request?.breakGlass) throw new ElevateError('not_found', 'There is no break-glass grant to review by that id.', { details: { requestId: input.requestId } });
    const details = { requestId: request.id, reviewerId: reviewer.id };
    if (request.requesterId === reviewer.id) throw new ElevateError('self_approval', 'You cannot review your own break-glass; another approver has to.', { details });
    const scope = await tx.getScope(request.scopeName);
    if (!scope || !isEligibleApprover(scope, reviewer.id)) throw new ElevateError('not_an_approver', `You are not an approver for scope ${request.scopeName}.`, { details });
    const now = clock.now();
    const review = { reviewedAt: now, reviewedBy: reviewer.id, verdict: input.verdict, note };
    if (!(await tx.recordBreakGlassReview(request.id, review))) {
      throw new ElevateError('already_reviewed', 'This break-glass grant was already reviewed.', { details });
    }
    await tx.appendAudit({
      type: input.verdict === 'flagged' ? 'break_glass.flagged' : 'break_glass.acknowledged',
      actor: reviewer.id,
      requestId: request.id,
      data: { note, overdue: now.getTime() > request.breakGlass.dueAt.getTime(), ...describeActor(input.actor) },
    });
    return { ...request, breakGlass: { ...request.breakGlass, ...review } };
  });
}
