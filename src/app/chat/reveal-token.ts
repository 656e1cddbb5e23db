import { ElevateError } from '../../domain/errors.ts';
import type { ChatPlatform } from '../../domain/principal.ts';
import { describeActor, resolveActor, type Actor } from '../actor.ts';
import type { GrantDeps } from '../deps.ts';

export interface RevealedToken {
  grantId: string;
  requestId: string;
  scopeName: string;
  /** The secret. Show it only in a private view of the requester; never log it or post it. */
  accessToken: string;
  tokenType: string;
  endsAt: Date;
}

/**
 * Opens the sealed token of an active grant for its requester, and nobody else, and hands it to
 * `show`, which puts it in a private view (a Slack modal, a Teams dialog) that is not part of any
 * conversation's history. Each reveal that `show` completed is audited as `grant.delivered`; the
 * token is never returned, so it cannot end up anywhere else by accident.
 */
export async function revealToken(
  deps: Pick<GrantDeps, 'store' | 'clock' | 'cipher' | 'logger'>,
  input: { grantId: string; actor: Actor; via: ChatPlatform | 'api' | 'web' },
  show: (token: RevealedToken) => Promise<void>,
): Promise<void> {
  const { store, clock, cipher } = deps;
  const person = await resolveActor(store, input.actor);
  const grant = await store.getGrant(input.grantId);
  const request = grant ? await store.getRequest(grant.requestId) : null;
  if (!grant || !request) throw new ElevateError('not_found', 'That grant does not exist.', { details: { grantId: input.grantId } });
  if (request.requesterId !== person.id) {
    throw new ElevateError('forbidden', 'Only the requester can see the token of a grant.', { details: { grantId: grant.id, actor: person.id } });
  }
  if (grant.status !== 'active' || grant.tokenSealed === null || clock.now().getTime() >= grant.endsAt.getTime()) {
    throw new ElevateError('grant_inactive', 'This grant is no longer active, so its token cannot be shown.', { details: { grantId: grant.id, status: grant.status } });
  }
  const accessToken = cipher.open(grant.tokenSealed, grant.id);
  await show({ grantId: grant.id, requestId: request.id, scopeName: request.scopeName, accessToken, tokenType: grant.tokenType ?? 'Bearer', endsAt: grant.endsAt });
  await store.transaction((tx) =>
    tx.appendAudit({
      type: 'grant.delivered',
      actor: person.id,
      requestId: request.id,
      grantId: grant.id,
      data: { ...describeActor(input.actor), platform: input.via, method: 'private_reveal' },
    }),
  );
  deps.logger.info({ grant_id: grant.id, request_id: request.id, via: input.via }, 'token revealed to the requester');
}
