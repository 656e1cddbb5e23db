import type { IncomingMessage } from 'node:http';
import { identifyApiCaller } from '../../app/identify-api-caller.ts';
import { ElevateError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../../ports/access-token-verifier.ts';
import type { StoreReader } from '../../ports/store.ts';

export interface ApiCaller {
  principal: Principal;
  token: VerifiedAccessToken;
}

/**
 * Authenticates an API call by its bearer token (RFC 6750 §2.1, header only): verified by the
 * organisation's AS, then mapped to a principal. Every failure is `unauthenticated`; whether a
 * token was sent at all decides the `WWW-Authenticate` answer (see {@link bearerChallenge}).
 */
export async function authenticate(req: IncomingMessage, deps: { store: StoreReader; verifier: AccessTokenVerifier }): Promise<ApiCaller> {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new ElevateError('unauthenticated', 'Send an access token: Authorization: Bearer <token>.', { details: { reason: 'no_token' } });
  }
  const match = /^Bearer +([^\s]+)$/i.exec(header.trim());
  if (!match) throw new ElevateError('unauthenticated', 'The access token is not valid for this API.', { details: { reason: 'malformed_header' } });
  const token = await deps.verifier.verify(match[1]!);
  return { principal: await identifyApiCaller(deps, token), token };
}

/**
 * The RFC 6750 §3 challenge for a refused call: no error code when no token was sent, and only
 * `invalid_token` otherwise — nothing says which check failed.
 */
export function bearerChallenge(error: ElevateError, resourceMetadataUrl: string): string {
  const base = `Bearer resource_metadata="${resourceMetadataUrl}"`;
  return error.details['reason'] === 'no_token' ? base : `${base}, error="invalid_token"`;
}
