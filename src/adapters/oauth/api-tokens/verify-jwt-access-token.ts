import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ElevateError } from '../../../domain/errors.ts';
import type { VerifiedAccessToken } from '../../../ports/access-token-verifier.ts';
import { refusal } from './refusal.ts';

export interface JwtAccessTokenRules {
  issuer: string;
  audience: string;
  /** Asymmetric JWS algorithms only: an HS256 token "signed" with a public key never verifies. */
  algorithms: readonly string[];
  /** Accepted `typ` header values, normalised (`at+jwt` also accepts `application/at+jwt`). */
  types: readonly string[];
  clientClaim: string;
  clockToleranceSec: number;
  now: () => Date;
}

/**
 * Checks a JWT access token (RFC 9068) against the AS's published keys: signature by a key of the
 * JWKS with an allowed algorithm, `typ`, `iss`, `aud`, `exp` (required) and `nbf` within the
 * clock tolerance. Every failure is an `unauthenticated` refusal whose reason is for the log.
 */
export async function verifyJwtAccessToken(token: string, keys: JWTVerifyGetKey, rules: JwtAccessTokenRules): Promise<VerifiedAccessToken> {
  let payload: JWTPayload;
  let typ: unknown;
  try {
    const verified = await jwtVerify(token, keys, {
      issuer: rules.issuer,
      audience: rules.audience,
      algorithms: [...rules.algorithms],
      clockTolerance: rules.clockToleranceSec,
      currentDate: rules.now(),
      requiredClaims: ['exp'],
    });
    payload = verified.payload;
    typ = verified.protectedHeader.typ;
  } catch (error) {
    throw toVerificationFailure(error);
  }
  if (!rules.types.includes(normaliseType(typ))) throw refusal('wrong_type', `typ ${String(typ).slice(0, 40)} is not accepted`);
  const { sub, exp, [rules.clientClaim]: client, ...claims } = payload;
  return {
    subject: typeof sub === 'string' && sub !== '' ? sub : null,
    clientId: typeof client === 'string' && client !== '' ? client : null,
    expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : null,
    checkedBy: 'jwt',
    claims,
  };
}

/** RFC 8725 §3.11: `application/at+jwt` and `at+jwt` are the same type. */
export function normaliseType(typ: unknown): string {
  return typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : '';
}

/** The AS's keys could not be had: say so (503), do not call the token bad. */
function toVerificationFailure(error: unknown): ElevateError {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
    return new ElevateError('issuer_unavailable', 'The authorization server could not be asked to check the token; try again shortly.', {
      retryable: true,
      cause: error instanceof Error ? new Error(`${error.name}: ${error.message}`) : undefined,
      details: { reason: 'keys_unavailable' },
    });
  }
  return refusal(error.code, error.message);
}
