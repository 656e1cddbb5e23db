import { createRemoteJWKSet, decodeProtectedHeader, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../../../domain/clock.ts';
import { isElevateError, type ElevateError } from '../../../domain/errors.ts';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../../../ports/access-token-verifier.ts';
import type { TokenIntrospection } from '../../../ports/token-issuer.ts';
import { IntrospectionCache } from './introspection-cache.ts';
import { refusal } from './refusal.ts';
import { acceptIntrospection } from './verify-by-introspection.ts';
import { verifyJwtAccessToken } from './verify-jwt-access-token.ts';

export interface ApiTokenSettings {
  audience: string;
  tokenValidation: 'auto' | 'jwt' | 'introspection';
  algorithms: readonly string[];
  jwtTypes: readonly string[];
  clientClaim: string;
}

export interface AccessTokenVerifierDeps {
  issuer: string;
  /** The AS's `jwks_uri`, or null when it publishes none (then only introspection works). */
  jwksUri: string | null;
  /** RFC 7662 with Elevate's own client authentication, or null without an introspection endpoint. */
  introspect: ((token: string) => Promise<TokenIntrospection>) | null;
  clock: Clock;
  /** The AS's keys; fetched from `jwksUri` (cached, refetched for an unknown `kid`) by default. */
  keys?: JWTVerifyGetKey;
}

/** Small, as RFC 9068 readers usually allow: the AS's and Elevate's clocks drift a little. */
const CLOCK_TOLERANCE_SEC = 30;
/** Longest bearer token read at all; real ones are a few kilobytes. */
const MAX_TOKEN_LENGTH = 8192;

type Cached = { ok: true; token: VerifiedAccessToken } | { ok: false; error: ElevateError };

/** The API's bearer-token check over the organisation's AS: JWT access tokens and introspection. */
export class OAuthAccessTokenVerifier implements AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey | null;
  private readonly introspections: IntrospectionCache<Cached>;

  constructor(
    private readonly settings: ApiTokenSettings,
    private readonly deps: AccessTokenVerifierDeps,
  ) {
    this.keys = deps.keys ?? (deps.jwksUri ? createRemoteJWKSet(new URL(deps.jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 }) : null);
    this.introspections = new IntrospectionCache((): number => deps.clock.now().getTime());
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) throw refusal('malformed', 'not a bearer token');
    const now = () => this.deps.clock.now();
    const { audience, algorithms, jwtTypes, clientClaim } = this.settings;
    if (this.checksAsJwt(token)) {
      if (!this.keys) throw refusal('no_jwks', 'the authorization server publishes no jwks_uri to check JWTs with');
      return verifyJwtAccessToken(token, this.keys, { issuer: this.deps.issuer, audience, algorithms, types: jwtTypes, clientClaim, clockToleranceSec: CLOCK_TOLERANCE_SEC, now });
    }
    return this.introspected(token);
  }

  private checksAsJwt(token: string): boolean {
    if (this.settings.tokenValidation !== 'auto') return this.settings.tokenValidation === 'jwt';
    if (token.split('.').length !== 3) return false;
    try {
      return typeof decodeProtectedHeader(token).alg === 'string';
    } catch {
      return false;
    }
  }

  private async introspected(token: string): Promise<VerifiedAccessToken> {
    const cached = this.introspections.get(token);
    if (cached) {
      if (cached.ok) return cached.token;
      throw cached.error;
    }
    if (!this.deps.introspect) throw refusal('no_introspection', 'the authorization server offers no introspection endpoint');
    const answer = await this.deps.introspect(token);
    try {
      const verified = acceptIntrospection(answer, { issuer: this.deps.issuer, audience: this.settings.audience, clientClaim: this.settings.clientClaim, now: () => this.deps.clock.now() });
      this.introspections.set(token, { ok: true, token: verified }, verified.expiresAt?.getTime() ?? null);
      return verified;
    } catch (error) {
      // A refused token stays refused; remembering that spares the AS a repeated question.
      if (isElevateError(error, 'unauthenticated')) this.introspections.set(token, { ok: false, error }, null);
      throw error;
    }
  }
}
