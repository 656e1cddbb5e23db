import { ElevateError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import { extensionWindow } from '../../domain/extension.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import type { ExtensionView, RequestView } from '../../ports/chat-platform.ts';
import { elevationStart } from '../request-extension.ts';
import type { StoreReader } from '../../ports/store.ts';

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
  const wanted = new Set([request.requesterId, ...scope.approvers, ...reviews.map((r) => r.approverId)]);
  const principals = new Map<string, Principal>();
  for (const id of wanted) {
    const principal = await store.getPrincipal(id);
    if (principal) principals.set(id, principal);
  }
  const requester = principals.get(request.requesterId) ?? placeholder(request.requesterId);
  const eligibleApprovers = scope.approvers
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

function placeholder(id: string): Principal {
  return { id, displayName: id, email: null, kind: 'human', isAdmin: false, lastSeenAt: null, createdAt: new Date(0) };
}
