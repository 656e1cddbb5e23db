import type { IntrospectionResponse } from 'openid-client';
import type { TokenIntrospection } from '../../../ports/token-issuer.ts';

/**
 * Maps an RFC 7662 response to the port's shape: the registered members by name, `client_id` as
 * `clientId`, and every other claim (`act`, `approvers`, …) passed through. An inactive token
 * reports nothing but `active: false`, as §2.2 advises.
 */
export function readIntrospectionResponse(response: IntrospectionResponse): TokenIntrospection {
  if (response.active !== true) return { active: false };
  const { active, client_id: clientId, sub, scope, aud, exp, act, ...claims } = response;
  const result: TokenIntrospection = { ...claims, active };
  if (typeof sub === 'string') result.sub = sub;
  if (typeof scope === 'string') result.scope = scope;
  if (typeof aud === 'string' || Array.isArray(aud)) result.aud = aud;
  if (typeof clientId === 'string') result.clientId = clientId;
  if (typeof exp === 'number') result.exp = exp;
  if (typeof act === 'object' && act !== null && !Array.isArray(act)) result.act = act as Record<string, unknown>;
  return result;
}
