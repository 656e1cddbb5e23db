import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * oidc-provider's default interaction policy (login when there is no session, on `prompt=login`,
 * on a session older than `max_age`, …) plus two checks:
 *
 * - `max_age=0` on the device authorization request asks for a login at the verification page.
 *   oidc-provider turns `max_age=0` into `prompt=login`, stores it with the device code, and then
 *   drops it when the person opens the code (`prompt` is a front-channel parameter), so without
 *   this a browser with a session would be signed in silently.
 * - A request whose `acr_values` name a level this server offers, which the browser's session did
 *   not reach, signs the person in again. OpenID Connect makes `acr_values` voluntary, so values
 *   this server never issues are not a reason to ask again (the tokens then say which `acr` they
 *   got, and the client judges it).
 */
export function loginPolicy(supportedAcrValues: ReadonlyArray<string>) {
  const policy = interactionPolicy.base();
  policy.get('login').checks.push(
    new interactionPolicy.Check('device_max_age_zero', 'a fresh login was requested', 'login_required', (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const stored = oidc.entities.DeviceCode?.params?.['prompt'];
      const asked = typeof stored === 'string' && stored.split(' ').includes('login');
      return asked && oidc.result?.login === undefined ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
    new interactionPolicy.Check('acr_values', 'requested ACR could not be obtained', 'login_required', (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const requested = typeof oidc.params['acr_values'] === 'string' ? oidc.params['acr_values'].split(' ').filter((value) => supportedAcrValues.includes(value)) : [];
      if (requested.length === 0 || oidc.session.accountId === undefined || oidc.result?.login !== undefined) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return oidc.acr !== undefined && requested.includes(oidc.acr) ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}
