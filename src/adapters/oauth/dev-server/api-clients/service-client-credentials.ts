import { errors, type GrantTypeHandler, type IssuableToken, type Provider } from 'oidc-provider';
import type { Logger } from '../../../../logging/logger.ts';
import { requestedAudiences, type ApiResource } from './api-resource.ts';
import { DEV_API_SCOPE } from './api-scope.ts';

/**
 * Client credentials of a service account: a token for Elevate's API only (`sub` = `client_id` =
 * the principal id). A service account never gets a token for a target system from this AS
 * directly: that is what it asks Elevate for, with approval.
 */
export function serviceClientCredentials(deps: { provider: Provider; api: ApiResource; logger: Logger }): GrantTypeHandler {
  return async (ctx) => {
    const { params, client } = ctx.oidc;
    const audiences = requestedAudiences({ audience: params['audience'], resource: params['resource'] });
    if (audiences.length > 1 || (audiences.length === 1 && audiences[0] !== deps.api.audience)) {
      throw new errors.InvalidTarget(`a service account gets tokens only for ${deps.api.audience}; ask Elevate for access to anything else`);
    }
    const requested = (typeof params['scope'] === 'string' ? params['scope'] : '').split(/\s+/).filter((value) => value !== '');
    const refused = requested.find((value) => value !== DEV_API_SCOPE);
    if (refused !== undefined) throw new errors.InvalidScope(`scope ${refused} is not available to a service account; the API's scope is ${DEV_API_SCOPE}`, refused);

    const token = new deps.provider.ClientCredentials({
      client,
      scope: DEV_API_SCOPE,
      expiresIn: deps.api.ttlSec,
      resourceServer: new deps.provider.ResourceServer(deps.api.audience, deps.api.info),
    });
    ctx.oidc.entity('ClientCredentials', token);
    const value = await token.save();
    deps.logger.info({ client_id: client.clientId, audience: deps.api.audience, expires_in: deps.api.ttlSec }, 'development AS issued an API token to a service account');
    ctx.body = { access_token: value, token_type: token.tokenType, expires_in: deps.api.ttlSec, scope: DEV_API_SCOPE };
  };
}

/**
 * `sub` of a service account's token: its client id, which is the principal id. oidc-provider
 * already puts it in the JWT (RFC 9068 §2.2 for client credentials); this makes introspection of
 * an opaque one say it too, so both formats name the principal the same way.
 */
export function serviceAccountClaims(token: IssuableToken, botClientId: string): Record<string, unknown> | undefined {
  if (token.kind !== 'ClientCredentials' || token.clientId === botClientId) return undefined;
  return { sub: token.clientId };
}
