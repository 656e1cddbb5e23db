import type { Principal } from '../../../domain/principal.ts';

/** What the development AS needs to know of a principal of the configuration. */
export type DevPrincipal = Pick<Principal, 'id' | 'displayName' | 'kind'>;

/**
 * Elevate's principals as they are now. Called on every lookup (login page, client
 * authentication, token issuance), never cached, so applying the config file takes effect at
 * once: a removed person cannot sign in or refresh, a new service account can authenticate.
 */
export type ListDevPrincipals = () => Promise<ReadonlyArray<DevPrincipal>>;
