import type { Review } from '../domain/review.ts';
import type { DecisionContext, RequestView } from '../ports/chat-platform.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';
import { buildDecisionContext } from './chat/decision-context.ts';
import { listRequests } from './list-requests.ts';

/** One request waiting in an approver's queue, with what they weigh it by. */
export interface ReviewQueueItem {
  view: RequestView;
  /** The same facts an approval message in chat shows (see `buildDecisionContext`). */
  context: DecisionContext;
  /** This approver's own review, when they already gave one and others still have to. */
  mine: Review | null;
}

/**
 * The requests an approver may decide now: pending, not yet past their review deadline (the
 * sweeper may not have expired them yet; a click would only be refused), for scopes they approve,
 * never their own, oldest waiting first — the order a queue is worked through.
 */
export async function listReviewQueue(deps: { store: StoreReader }, actor: Actor, now: Date): Promise<ReviewQueueItem[]> {
  const person = await resolveActor(deps.store, actor);
  const views = await listRequests(deps, actor, { role: 'approver', statuses: ['pending'] });
  const open = views.filter((view) => view.request.pendingUntil.getTime() > now.getTime()).reverse();
  return Promise.all(
    open.map(async (view) => ({
      view,
      context: await buildDecisionContext(deps.store, view.request, view.scope, now),
      mine: view.reviews.find((review) => review.approverId === person.id) ?? null,
    })),
  );
}
