import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../domain/clock.ts';
import type { AuthenticationEvidence } from '../../../domain/step-up.ts';
import type { ExchangeInput } from '../../../ports/token-issuer.ts';
import { ASSERTION_LIFETIME_SEC, type ActorAssertionClaims, type SubjectAssertionClaims } from './assertion-claims.ts';

export interface AssertionContext {
  /** `iss`: this server's public URL, where its JWKS is served. */
  assertionIssuer: string;
  /** `aud`: the AS's issuer identifier as its metadata states it. */
  authorizationServer: string;
  clientId: string;
  clock: Clock;
}

/**
 * The subject assertion: the requester's principal, as the bot vouches for it, with the
 * requester's step-up verification (`acr`, `amr`, `auth_time`, as OpenID Connect names them) when
 * the scope asked for one.
 */
export function subjectAssertionClaims(input: ExchangeInput, context: AssertionContext): SubjectAssertionClaims {
  const iat = Math.floor(context.clock.now().getTime() / 1000);
  return {
    iss: context.assertionIssuer,
    sub: input.requester.id,
    aud: context.authorizationServer,
    iat,
    exp: iat + ASSERTION_LIFETIME_SEC,
    jti: randomUUID(),
    principal_kind: input.requester.kind,
    ...(input.authentication ? authenticationClaims(input.authentication) : {}),
  };
}

function authenticationClaims(evidence: AuthenticationEvidence): Pick<SubjectAssertionClaims, 'acr' | 'amr' | 'auth_time'> {
  return {
    auth_time: Math.floor(evidence.authTime.getTime() / 1000),
    ...(evidence.acr === null ? {} : { acr: evidence.acr }),
    ...(evidence.amr.length === 0 ? {} : { amr: [...evidence.amr] }),
  };
}

/** The actor assertion: the bot, acting on the approvers' say-so, until the window ends. */
export function actorAssertionClaims(input: ExchangeInput, context: AssertionContext): ActorAssertionClaims {
  const iat = Math.floor(context.clock.now().getTime() / 1000);
  return {
    iss: context.assertionIssuer,
    sub: context.clientId,
    aud: context.authorizationServer,
    iat,
    exp: iat + ASSERTION_LIFETIME_SEC,
    jti: randomUUID(),
    grant_id: input.grantId,
    approvers: [...input.approvers],
    window_ends_at: Math.floor(input.windowEndsAt.getTime() / 1000),
    elevate_scope: input.scope.name,
  };
}
