import { type GrantTypeHandler, type Provider } from 'oidc-provider';
import { resolveTarget, type ListScopes } from './scope-catalogue.ts';

export const CLIENT_CREDENTIALS_PARAMETERS = ['scope', 'audience', 'resource'];
export const CLIENT_CREDENTIALS_DUPLICATES = ['audience', 'resource'];

/**
 * Replaces oidc-provider's built-in client credentials grant, which accepts any scope that is not
 * a registered OpenID scope. For the bot: only the scopes of Elevate's scope definitions (and,
 * when given, one of their audiences), as an opaque token so revocation is real. Every other
 * client with this grant is a service account, handed to `serviceAccounts` (tokens for Elevate's
 * API only).
 */
export function clientCredentialsGrant(deps: { provider: Provider; listScopes: ListScopes; ttlSec: number; botClientId: string; serviceAccounts: GrantTypeHandler | null }): GrantTypeHandler {
  return async (ctx, next) => {
    const { params, client } = ctx.oidc;
    if (client.clientId !== deps.botClientId && deps.serviceAccounts !== null) return deps.serviceAccounts(ctx, next);
    const target = resolveTarget(await deps.listScopes(), { scope: params['scope'], audience: params['audience'], resource: params['resource'] }, { audienceRequired: false });
    const token = new deps.provider.ClientCredentials({ client, scope: target.scope, expiresIn: deps.ttlSec });
    if (target.audience !== null) token.setAudience(target.audience);
    ctx.oidc.entity('ClientCredentials', token);
    const value = await token.save();
    ctx.body = { access_token: value, token_type: token.tokenType, expires_in: deps.ttlSec, scope: target.scope };
  };
}
