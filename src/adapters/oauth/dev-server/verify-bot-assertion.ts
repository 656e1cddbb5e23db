import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { errors } from 'oidc-provider';
import { ASSERTION_LIFETIME_SEC } from '../assertions/assertion-claims.ts';
import type { ReplayGuard } from './replay-guard.ts';

export interface AssertionExpectations {
  /** The bot's public keys. */
  jwks: JSONWebKeySet;
  /** The bot's `iss` (its public URL). */
  issuer: string;
  /** This AS's issuer identifier. */
  audience: string;
  replay: ReplayGuard;
  nowSec: number;
}

/** Seconds of clock difference tolerated between the bot and this AS. */
const CLOCK_TOLERANCE_SEC = 30;

/**
 * Verifies an assertion the bot signed (subject or actor token): signature against the bot's
 * JWKS, issuer, audience, a short lifetime and a single-use `jti`. Failures are `invalid_request`,
 * as RFC 8693 §2.2.2 requires for an unacceptable subject or actor token.
 */
export async function verifyBotAssertion(token: string, parameter: 'subject_token' | 'actor_token', expected: AssertionExpectations): Promise<JWTPayload & { sub: string; jti: string; exp: number }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(expected.jwks), {
      issuer: expected.issuer,
      audience: expected.audience,
      requiredClaims: ['sub', 'iat', 'exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SEC,
      currentDate: new Date(expected.nowSec * 1000),
    }));
  } catch (error) {
    throw new errors.InvalidRequest(`${parameter} is invalid: ${reasonOf(error)}`);
  }
  const { sub, jti, exp, iat } = payload as { sub: string; jti: string; exp: number; iat: number };
  if (exp - iat > ASSERTION_LIFETIME_SEC * 5) throw new errors.InvalidRequest(`${parameter} is invalid: its lifetime is too long`);
  if (!expected.replay.firstUse(`${parameter}:${jti}`, exp + CLOCK_TOLERANCE_SEC, expected.nowSec)) {
    throw new errors.InvalidRequest(`${parameter} is invalid: it has already been used`);
  }
  return { ...payload, sub, jti, exp };
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} is not acceptable`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "it is not signed by a key in the bot's JWKS";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid) return 'it is not a well-formed JWT';
  return 'it could not be verified';
}
