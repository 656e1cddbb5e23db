import { ElevateError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import { eligibleApproverIds } from '../../domain/scope.ts';
import { extensionWindow } from '../../domain/extension.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import type { Grant } from '../../domain/grant.ts';
import type { Review } from '../../domain/review.ts';
import type { ScopeDefinition } from '../../domain/scope.ts';
import type { ExtensionView, RequestView } from '../../ports/chat-platform.ts';
import { elevationStart } from '../request-extension.ts';
import type { StoreReader } from '../../ports/store.ts';
import { buildDecisionContext } from './decision-context.ts';

/**
 * Reads everything an approval message or a notice shows about one request, as it is now.
 * Principals that no longer exist are shown by their id rather than failing the render.
 */
export async function buildRequestView(store: StoreReader, requestId: string): Promise<RequestView> {
  const request = await store.getRequest(requestId);
  if (!request) throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId } });
  const scope = await store.getScope(request.scopeName);
  if (!scope) throw new ElevateError('unknown_scope', `Scope ${request.scopeName} no longer exists.`, { details: { requestId } });
  const [reviews, grant] = await Promise.all([store.listReviews(requestId), store.getGrantByRequest(requestId)]);
  return requestViewFrom(store, { request, scope, reviews, grant });
}

/**
 * {@link buildRequestView} from a request, its scope, reviews and grant the caller holds as they
 * are now (a transaction just wrote them): only the people named are read, in one statement.
 */
export async function requestViewFrom(
  store: StoreReader,
  parts: { request: ElevationRequest; scope: ScopeDefinition; reviews: readonly Review[]; grant: Grant | null },
): Promise<RequestView> {
  const { request, scope, grant } = parts;
  const reviews = [...parts.reviews];
  const approverIds = eligibleApproverIds(scope, request);
  const wanted = new Set([request.requesterId, ...approverIds, ...reviews.map((r) => r.approverId)]);
  const principals = new Map((await store.getPrincipals([...wanted])).map((principal) => [principal.id, principal]));
  const requester = principals.get(request.requesterId) ?? placeholder(request.requesterId);
  const eligibleApprovers = approverIds
    .filter((id) => id !== request.requesterId)
    .map((id) => principals.get(id) ?? placeholder(id));
  const names = Object.fromEntries([...wanted].map((id) => [id, principals.get(id)?.displayName ?? id]));
  return { request, scope, requester, reviews, eligibleApprovers, grant, names, extension: await extensionView(store, request) };
}

async function extensionView(store: StoreReader, request: ElevationRequest): Promise<ExtensionView | null> {
  const extended = request.extendsGrantId === null ? null : await store.getGrant(request.extendsGrantId);
  if (!extended) return null;
  return { grant: extended, ...extensionWindow(extended, await elevationStart(store, extended), request.durationSec) };
}

/**
 * The view an approval message is rendered from: {@link buildRequestView} plus, while the request
 * is pending, the context for the decision (see `buildDecisionContext`).
 */
export async function buildApprovalView(store: StoreReader, requestId: string, now: Date): Promise<RequestView> {
  const view = await buildRequestView(store, requestId);
  if (view.request.status !== 'pending') return { ...view, context: null };
  return { ...view, context: await buildDecisionContext(store, view.request, view.scope, now) };
}

function placeholder(id: string): Principal {
  return { id, displayName: id, email: null, kind: 'human', isAdmin: false, isAuditor: false, lastSeenAt: null, createdAt: new Date(0) };
}
