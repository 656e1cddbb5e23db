import { isEligibleApprover } from '../domain/scope.ts';
import type { RequestView } from '../ports/chat-platform.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';
import { buildRequestView } from './chat/build-request-view.ts';
import { MAX_LISTED_REQUESTS } from './list-requests.ts';

/**
 * The break-glass grants a person may acknowledge or flag after the fact: not yet reviewed, of
 * scopes they approve (the same rule `reviewBreakGlass` applies), never their own; the review
 * due soonest first.
 */
export async function listBreakGlassReviews(deps: { store: StoreReader }, actor: Actor): Promise<RequestView[]> {
  const person = await resolveActor(deps.store, actor);
  const scopes = (await deps.store.listScopes()).filter((scope) => isEligibleApprover(scope, person.id));
  const perScope = await Promise.all(scopes.map((scope) => deps.store.listRequests({ scopeName: scope.name, breakGlassUnreviewed: true })));
  const waiting = perScope
    .flat()
    .filter((request) => request.requesterId !== person.id && request.breakGlass !== null)
    .sort((a, b) => a.breakGlass!.dueAt.getTime() - b.breakGlass!.dueAt.getTime() || a.id.localeCompare(b.id))
    .slice(0, MAX_LISTED_REQUESTS);
  return Promise.all(waiting.map((request) => buildRequestView(deps.store, request.id)));
}
