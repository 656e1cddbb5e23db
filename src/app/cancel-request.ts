import { ElevateError } from '../domain/errors.ts';
import type { ElevationRequest } from '../domain/request.ts';
import { describeStatus, WAITING_STATUSES } from '../domain/request.ts';
import { resolveActor, type Actor } from './actor.ts';
import type { CoreDeps } from './deps.ts';

/** The requester withdraws a waiting request (pending, or approved and waiting for their verification). Only the requester may. */
export async function cancelRequest(deps: Pick<CoreDeps, 'store' | 'clock'>, requestId: string, actor: Actor): Promise<ElevationRequest> {
  const { store, clock } = deps;
  const person = await resolveActor(store, actor);
  return store.transaction(async (tx) => {
    const request = await tx.lockRequest(requestId);
    if (!request) throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId } });
    if (request.requesterId !== person.id) {
      throw new ElevateError('forbidden', 'Only the requester can cancel a request.', { details: { requestId, actor: person.id } });
    }
    if (!WAITING_STATUSES.includes(request.status)) {
      throw new ElevateError('already_decided', `This request is already ${describeStatus(request.status)}.`, { details: { requestId } });
    }
    const patch = { status: 'cancelled' as const, decidedAt: clock.now(), decisionNote: 'Cancelled by the requester.' };
    await tx.updateRequest(requestId, request.status, patch);
    await tx.appendAudit({ type: 'request.cancelled', actor: person.id, requestId, data: {} });
    return { ...request, ...patch };
  });
}
