import { ElevateError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { VerifiedAccessToken } from '../ports/access-token-verifier.ts';
import type { StoreReader } from '../ports/store.ts';

/**
 * Maps a verified API token to the principal it speaks for, explicitly: its `sub` when a principal
 * has that id (people, and service accounts whose AS puts the client in `sub`); otherwise the
 * token's client (`client_id` or the configured claim) when it names a principal of kind
 * `service` — a client-credentials token never stands for a person. Anything else is refused.
 */
export async function identifyApiCaller(deps: { store: StoreReader }, token: VerifiedAccessToken): Promise<Principal> {
  if (token.subject !== null) {
    const bySubject = await deps.store.getPrincipal(token.subject);
    if (bySubject) return bySubject;
  }
  if (token.clientId !== null && (token.subject === null || token.subject === token.clientId)) {
    const byClient = await deps.store.getPrincipal(token.clientId);
    if (byClient?.kind === 'service') return byClient;
  }
  throw new ElevateError('unauthenticated', 'The access token is not valid for this API.', {
    details: { reason: 'unknown_subject', why: 'no principal has the token subject (or, for a service client, its client id)' },
  });
}
