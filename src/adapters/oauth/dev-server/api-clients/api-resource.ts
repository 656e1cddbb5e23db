import { errors, type ParamValue, type ResourceServerInfo } from 'oidc-provider';
import { API_TOKEN_MAX_TTL_SEC, DEV_API_SCOPE } from './api-scope.ts';

export type ApiTokenFormat = 'jwt' | 'opaque';

/** Elevate's API as a resource server (RFC 8707) of the development AS. */
export interface ApiResource {
  readonly audience: string;
  readonly ttlSec: number;
  readonly info: ResourceServerInfo;
}

/**
 * JWT access tokens (RFC 9068: `typ: at+jwt`, RS256 with the key at this AS's `jwks_uri`) by
 * default; opaque ones for an Elevate that checks tokens by introspection only, because
 * oidc-provider keeps no record of the JWTs it signs and so introspects them as inactive.
 */
export function apiResource(audience: string, options: { format: ApiTokenFormat; maxTtlSec: number }): ApiResource {
  const ttlSec = Math.min(API_TOKEN_MAX_TTL_SEC, options.maxTtlSec);
  return Object.freeze({
    audience,
    ttlSec,
    info: Object.freeze({ scope: DEV_API_SCOPE, audience, accessTokenTTL: ttlSec, accessTokenFormat: options.format, jwt: { sign: { alg: 'RS256' } } }),
  });
}

/**
 * `features.resourceIndicators` for the API: the only resource the interactive and refresh flows
 * issue tokens for (the bot's grants read `resource` themselves and never come here), the
 * default resource of every client but the bot, and the granted resource reused on refresh.
 */
export function resourceIndicators(api: ApiResource, botClientId: string): Record<string, unknown> {
  return {
    enabled: true,
    defaultResource: async (_ctx: unknown, client: { clientId: string }, oneOf?: string[]) => oneOf ?? (client.clientId === botClientId ? undefined : api.audience),
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx: unknown, resource: string) => {
      if (resource !== api.audience) throw new errors.InvalidTarget(`this authorization server issues tokens here only for ${api.audience}`);
      return api.info;
    },
  };
}

/** The audience a client-credentials request names (`audience` and `resource` alike), if any. */
export function requestedAudiences(params: { audience: ParamValue; resource: ParamValue }): string[] {
  const values = (value: ParamValue) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter((item) => item !== '');
  return [...new Set([...values(params.audience), ...values(params.resource)])];
}
