import {
  allowInsecureRequests,
  authorizationCodeGrant,
  AuthorizationResponseError,
  buildAuthorizationUrl,
  Configuration,
  customFetch,
  enableNonRepudiationChecks,
  type ClientAuth,
  type CustomFetch,
  type IDToken,
  type ServerMetadata,
} from 'openid-client';
import { ElevateError } from '../../../domain/errors.ts';
import type { AuthenticationEvidence } from '../../../domain/step-up.ts';
import type { AuthorizationRequest, PersonAuthenticator, RedeemRequest } from '../../../ports/person-authenticator.ts';
import { toOAuthError } from '../client/to-oauth-error.ts';
import { OAuthError } from '../oauth-error.ts';

export interface PersonSignInSettings {
  /** The discovered metadata of the AS that Elevate already uses for token exchange. */
  metadata: Readonly<ServerMetadata>;
  /** Elevate's own client (`OAUTH_CLIENT_ID`), authenticated as for token exchange. */
  clientId: string;
  clientAuth: ClientAuth;
  fetch: CustomFetch;
  timeoutMs: number;
  allowInsecureHttp: boolean;
}

/**
 * The OpenID Connect client of step-up sign-ins, or null when the AS has no authorization
 * endpoint (an OAuth-only server: step-up is then unavailable).
 *
 * It gets a `Configuration` of its own, built from the metadata already discovered and the same
 * client authentication, so that turning on ID-token signature checks (openid-client does not
 * verify the signature of an ID token from the token endpoint unless asked) changes nothing for
 * token exchange, revocation or introspection.
 */
export function createPersonAuthenticator(settings: PersonSignInSettings): PersonAuthenticator | null {
  if (typeof settings.metadata.authorization_endpoint !== 'string') return null;
  const configuration = new Configuration({ ...settings.metadata }, settings.clientId, undefined, settings.clientAuth);
  configuration[customFetch] = settings.fetch;
  configuration.timeout = settings.timeoutMs / 1000;
  if (settings.allowInsecureHttp) allowInsecureRequests(configuration);
  enableNonRepudiationChecks(configuration);
  return new OidcPersonAuthenticator(configuration);
}

/**
 * Authorization code with PKCE (S256), `state` and `nonce`, always asking for a fresh login
 * (`prompt=login`, `max_age`) at the scope's level (`acr_values`). The callback's code is redeemed
 * with the same client authentication as token exchange, and the ID token is checked by
 * openid-client: signature against the AS's `jwks_uri`, `iss`, `aud` (and `azp`), `exp`, `iat`,
 * `nonce`, and `auth_time` present and within `max_age`.
 */
export class OidcPersonAuthenticator implements PersonAuthenticator {
  constructor(private readonly configuration: Configuration) {}

  authorizationUrl(input: AuthorizationRequest): URL {
    return buildAuthorizationUrl(this.configuration, {
      response_type: 'code',
      scope: 'openid',
      redirect_uri: input.redirectUri,
      state: input.state,
      nonce: input.nonce,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
      prompt: 'login',
      max_age: String(input.maxAgeSec),
      ...(input.acrValues.length > 0 ? { acr_values: input.acrValues.join(' ') } : {}),
    });
  }

  async redeem(input: RedeemRequest): Promise<AuthenticationEvidence> {
    // The redirect_uri sent with the code is the registered one, whatever host the browser used.
    const current = new URL(input.redirectUri);
    current.search = input.callbackUrl.search;
    let claims: IDToken | undefined;
    try {
      const response = await authorizationCodeGrant(this.configuration, current, {
        pkceCodeVerifier: input.codeVerifier,
        expectedState: input.state,
        expectedNonce: input.nonce,
        maxAge: input.maxAgeSec,
        idTokenExpected: true,
      });
      claims = response.claims();
    } catch (error) {
      throw await signInFailure(error);
    }
    return evidenceFrom(claims);
  }
}

/** The sign-in as the ID token tells it. `auth_time` is required (openid-client checked it with `maxAge`). */
export function evidenceFrom(claims: IDToken | undefined): AuthenticationEvidence {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') throw refusal('no_subject');
  if (typeof claims.auth_time !== 'number') throw refusal('no_auth_time');
  const amr = Array.isArray(claims['amr']) ? claims['amr'].filter((method): method is string => typeof method === 'string') : [];
  const acr = typeof claims['acr'] === 'string' && claims['acr'] !== '' ? claims['acr'] : null;
  return { subject: claims.sub, acr, amr, authTime: new Date(claims.auth_time * 1000) };
}

/**
 * `issuer_unavailable` when the AS could not be reached or was failing (try again), otherwise
 * `step_up_refused` with what went wrong for the log: the provider's own `error` (the person
 * cancelled, `login_required`, ...), or why its answer did not verify. Never the code or a token.
 */
async function signInFailure(error: unknown): Promise<ElevateError> {
  if (error instanceof AuthorizationResponseError) {
    return refusal('provider_error', { oauth_error: safeCode(error.error) });
  }
  const failure: OAuthError = await toOAuthError(error, 'sign_in');
  if (failure.code === 'issuer_unavailable') return failure;
  return refusal(failure.reason, {
    oauth_error: failure.oauthError,
    oauth_error_description: failure.oauthErrorDescription,
    http_status: failure.httpStatus,
    check: failure.cause instanceof Error ? failure.cause.message.slice(0, 200) : null,
  });
}

function refusal(reason: string, details: Record<string, unknown> = {}): ElevateError {
  return new ElevateError('step_up_refused', 'The sign-in could not be verified.', { details: { reason, ...details } });
}

function safeCode(code: unknown): string | null {
  return typeof code === 'string' && /^[a-z0-9_.:-]{1,64}$/i.test(code) ? code : null;
}
