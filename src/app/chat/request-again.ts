import { formatDuration } from '../../domain/duration.ts';
import { ElevateError } from '../../domain/errors.ts';
import type { RequestSource } from '../../domain/request.ts';
import { describeStatus } from '../../domain/request.ts';
import { resolveActor, type Actor } from '../actor.ts';
import type { ChatDeps } from './chat-deps.ts';
import { submitRequestIdempotently, type IdempotentSubmitOutcome } from './submit-request.ts';

/**
 * "Request again" on the notice of a request that expired unreviewed: the same scope, duration and
 * reason, submitted by the same person through the normal request (validated again, policy
 * again, published again). Only the requester may, and only for an expired request. The click is
 * idempotent: a second click (or a Slack retry) answers with the request the first one made.
 */
export async function requestAgain(deps: ChatDeps, input: { actor: Actor; requestId: string; source: RequestSource }): Promise<IdempotentSubmitOutcome> {
  const person = await resolveActor(deps.store, input.actor);
  const original = await deps.store.getRequest(input.requestId);
  if (!original || original.requesterId !== person.id) {
    throw new ElevateError('forbidden', 'Only the person who made that request can send it again.', { details: { requestId: input.requestId.slice(0, 64), actor: person.id } });
  }
  if (original.status !== 'expired') {
    throw new ElevateError('conflict', `That request is ${describeStatus(original.status)}; only an expired request can be sent again.`, { details: { requestId: original.id, status: original.status } });
  }
  return submitRequestIdempotently(
    deps,
    { actor: input.actor, scopeName: original.scopeName, duration: formatDuration(original.durationSec), reason: original.reason, source: input.source },
    { key: `request-again:${original.id}`, fingerprint: `request-again:${original.id}` },
  );
}
