import type { GrantTypeHandler, IssuableToken, KoaMiddleware, OidcContext, Provider } from 'oidc-provider';
import type { Logger } from '../../../../logging/logger.ts';
import type { ListDevPrincipals } from '../dev-principals.ts';
import { peopleOf } from '../interactions/dev-login.ts';
import { interactionPath, interactionRoutes } from '../interactions/interaction-routes.ts';
import { successSource, userCodeConfirmSource, userCodeInputSource } from '../pages/device-pages.ts';
import { prefilledUserCode } from '../pages/prefilled-user-code.ts';
import { apiResource, resourceIndicators, type ApiTokenFormat } from './api-resource.ts';
import { cliClientMetadata, DEFAULT_CLI_CLIENT_ID } from './cli-client.ts';
import { ClientSecretsFile } from './client-secrets-file.ts';
import { DevTotpSecretsFile } from '../totp/totp-secrets-file.ts';
import { findPerson } from './dev-accounts.ts';
import { personAuthenticationClaims } from './person-claims.ts';
import { serviceAccountClaims, serviceClientCredentials } from './service-client-credentials.ts';
import { ServiceClients } from './service-clients.ts';

export interface DevApiClientsOptions {
  /** Elevate's API identifier (RFC 8707 resource, the tokens' `aud`): `http://127.0.0.1:3000/api`. */
  apiAudience: string;
  /** The CLI's public client. Default `elevate-cli`. */
  cliClientId?: string;
  /**
   * `$ELEVATE_DATA_DIR`: the service accounts' secrets are kept in `dev-client-secrets.json` there,
   * the people's TOTP secrets in `dev-totp-secrets.json`.
   */
  dataDir: string;
  /** Elevate's principals, read at each use: humans sign in, services are clients. */
  listPrincipals: ListDevPrincipals;
  /**
   * `jwt` (RFC 9068, the default) or `opaque` — opaque for an Elevate that checks tokens by
   * introspection only (`ELEVATE_API_TOKEN_VALIDATION=introspection`): the JWTs are not stored,
   * so the AS introspects them as inactive.
   */
  apiTokenFormat?: ApiTokenFormat;
}

/**
 * Lifetimes of the sign-in artefacts, set so oidc-provider's defaults (and its console notices)
 * never apply: ten minutes to finish a sign-in (RFC 8628's usual device-code lifetime), and a
 * working day for a signed-in CLI before the person signs in again.
 */
const SIGN_IN_TTL_SEC = { DeviceCode: 600, Interaction: 600, IdToken: 900, Session: 12 * 3600, Grant: 12 * 3600, RefreshToken: 12 * 3600 } as const;

/** Where the device flow's user-code page is, relative to the issuer (oidc-provider's route). */
const CODE_VERIFICATION_PATH = '/device';

/** Everything the API's clients add to the development AS, in the shape oidc-provider takes. */
export function apiClientsSetup(options: DevApiClientsOptions, context: { issuer: string; botClientId: string; maxTtlSec: number; logger: Logger }) {
  const cliClientId = options.cliClientId ?? DEFAULT_CLI_CLIENT_ID;
  const issuerPath = new URL(context.issuer).pathname.replace(/\/+$/, '');
  const resource = apiResource(options.apiAudience, { format: options.apiTokenFormat ?? 'jwt', maxTtlSec: context.maxTtlSec });
  const secrets = ClientSecretsFile.inDataDir(options.dataDir, context.logger);
  const totp = DevTotpSecretsFile.inDataDir(options.dataDir, context.logger);
  const serviceClients = new ServiceClients({ listPrincipals: options.listPrincipals, secrets, reservedIds: new Set([context.botClientId, cliClientId]), logger: context.logger });
  return {
    cliClientId,
    secretsFile: secrets.file,
    totpFile: totp.file,
    serviceClients,
    /** A TOTP secret for every person of the configuration now, so `npm run dev:otp` finds it. */
    syncTotpSecrets: async () => [...(await totp.entriesFor(peopleOf(await options.listPrincipals()).map((person) => person.id))).keys()],
    cliClient: cliClientMetadata(cliClientId),
    resourceIndicators: resourceIndicators(resource, context.botClientId),
    deviceFlow: { enabled: true, userCodeInputSource, userCodeConfirmSource, successSource },
    ttl: SIGN_IN_TTL_SEC,
    interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => interactionPath(issuerPath, interaction.uid) },
    findAccount: findPerson(options.listPrincipals),
    /** Claims of the API's tokens beyond oidc-provider's own: who signed in when, or which service. */
    extraClaims: (oidc: OidcContext | undefined, token: IssuableToken) => personAuthenticationClaims(oidc, token) ?? serviceAccountClaims(token, context.botClientId),
    /** oidc-provider's storage, with the service accounts as its `Client` model. */
    adapter:
      <A>(storage: (model: string) => A) =>
      (model: string) =>
        model === 'Client' ? serviceClients.adapter() : storage(model),
    middleware: (provider: Provider): KoaMiddleware[] => [
      prefilledUserCode(CODE_VERIFICATION_PATH),
      interactionRoutes({ provider, issuerPath, listPrincipals: options.listPrincipals, totp, logger: context.logger }),
    ],
    serviceClientCredentials: (provider: Provider): GrantTypeHandler => serviceClientCredentials({ provider, api: resource, logger: context.logger }),
  };
}

export type ApiClientsSetup = ReturnType<typeof apiClientsSetup>;
