import type { InteractionDetails, InteractionResult, Provider } from 'oidc-provider';

/**
 * Consent without a page, as a development AS for first-party clients may: grants exactly what
 * the interaction says is missing — the OpenID scopes and claims asked for and the API scopes
 * oidc-provider already narrowed to what the resource server offers.
 */
export async function grantWhatWasAsked(provider: Provider, details: InteractionDetails): Promise<InteractionResult> {
  const accountId = details.session?.accountId;
  const clientId = details.params['client_id'];
  if (accountId === undefined || typeof clientId !== 'string') throw new Error('consent was asked for before anyone signed in');
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  return { consent: { grantId } };
}
