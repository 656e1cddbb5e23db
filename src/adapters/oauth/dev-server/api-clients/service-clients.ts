import type { Logger } from '../../../../logging/logger.ts';
import type { DevPrincipal, ListDevPrincipals } from '../dev-principals.ts';
import type { ClientSecretsFile } from './client-secrets-file.ts';

/**
 * The confidential clients of service accounts, one per principal of kind `service`: client_id =
 * principal id, its secret from the secrets file, `client_secret_basic`, client credentials only.
 *
 * Served as oidc-provider's storage adapter for the `Client` model, which the library consults on
 * every request for a client it was not given at start (after its static clients: the bot and the
 * CLI). That is the library's own extension point for clients that come and go — dynamic
 * registration uses it too — so no client is ever cached past the principal's life: applying a
 * config file that adds or removes a service account takes effect at the next request.
 */
export class ServiceClients {
  constructor(
    private readonly deps: {
      listPrincipals: ListDevPrincipals;
      secrets: ClientSecretsFile;
      /** Ids of the static clients, which a principal of the same id cannot take over. */
      reservedIds: ReadonlySet<string>;
      logger: Logger;
    },
  ) {}

  /** Ids of the current service accounts, each with a secret in the file (generated if new). */
  async sync(): Promise<ReadonlyMap<string, string>> {
    const principals = await this.deps.listPrincipals();
    const clashing = serviceIds(principals).filter((id) => this.deps.reservedIds.has(id));
    if (clashing.length > 0) {
      this.deps.logger.warn({ principals: clashing }, 'service principals share their id with a built-in client of the development AS and get no client of their own');
    }
    return this.secretsOf(principals);
  }

  /** oidc-provider's client metadata of a service account, or undefined for any other id. */
  async metadataFor(clientId: string): Promise<Record<string, unknown> | undefined> {
    const principals = await this.deps.listPrincipals();
    const principal = principals.find((candidate) => candidate.id === clientId && candidate.kind === 'service');
    if (principal === undefined || this.deps.reservedIds.has(clientId)) return undefined;
    // Every current service account, not only this one, so the file stays complete.
    const secret = (await this.secretsOf(principals)).get(clientId);
    if (secret === undefined) return undefined;
    return {
      client_id: principal.id,
      client_name: principal.displayName,
      client_secret: secret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    };
  }

  private secretsOf(principals: ReadonlyArray<DevPrincipal>): Promise<ReadonlyMap<string, string>> {
    return this.deps.secrets.secretsFor(serviceIds(principals).filter((id) => !this.deps.reservedIds.has(id)));
  }

  /** The storage adapter for oidc-provider's `Client` model: read-only. */
  adapter(): ReadOnlyClientAdapter {
    return new ReadOnlyClientAdapter((id) => this.metadataFor(id));
  }
}

function serviceIds(principals: ReadonlyArray<DevPrincipal>): string[] {
  return principals.filter((principal) => principal.kind === 'service').map((principal) => principal.id);
}

export class ReadOnlyClientAdapter {
  constructor(private readonly lookup: (id: string) => Promise<Record<string, unknown> | undefined>) {}

  find(id: string): Promise<Record<string, unknown> | undefined> {
    return this.lookup(id);
  }

  async upsert(): Promise<never> {
    throw new Error('the development AS registers no clients: service accounts come from the configuration');
  }

  async destroy(): Promise<never> {
    throw new Error('the development AS removes no clients: service accounts come from the configuration');
  }
}
