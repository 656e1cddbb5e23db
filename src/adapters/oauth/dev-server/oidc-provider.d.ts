/**
 * The part of oidc-provider 9 (which ships no type declarations) that the development
 * authorization server uses. Kept deliberately narrow: anything not declared here is not used.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type ParamValue = string | string[] | undefined;

  export interface OidcClient {
    readonly clientId: string;
    readonly clientAuthMethod: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  export interface OidcContext {
    readonly params: Record<string, ParamValue>;
    readonly client: OidcClient;
    entity(key: string, value: unknown): void;
  }

  export interface KoaContextWithOIDC {
    readonly oidc: OidcContext;
    body: unknown;
    status: number;
    readonly method: string;
    readonly path: string;
  }

  export type GrantTypeHandler = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface TokenInit {
    client: OidcClient;
    accountId?: string;
    scope?: string;
    expiresIn?: number;
    gty?: string;
  }

  export interface IssuableToken {
    readonly jti: string;
    readonly clientId: string;
    readonly accountId?: string;
    readonly scope?: string;
    readonly aud?: string;
    readonly tokenType: string;
    readonly expiration: number;
    extra?: Record<string, unknown>;
    setAudience(audience: string): void;
    /** Persists the token and returns its value (for opaque tokens, the secret itself). */
    save(): Promise<string>;
  }

  export interface TokenClass {
    new (init: TokenInit): IssuableToken;
  }

  export interface ProviderConfiguration {
    [option: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    readonly issuer: string;
    /** Koa's: trust X-Forwarded-* headers from a TLS-offloading proxy. */
    proxy: boolean;
    readonly AccessToken: TokenClass;
    readonly ClientCredentials: TokenClass;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    registerGrantType(name: string, handler: GrantTypeHandler, params?: string | string[] | Set<string>, dupes?: string | string[] | Set<string>): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export class OIDCProviderError extends Error {
    readonly error: string;
    error_description?: string;
    readonly status: number;
  }

  type DescribedError = new (description?: string) => OIDCProviderError;

  export const errors: {
    readonly InvalidRequest: DescribedError;
    readonly InvalidScope: new (description: string, scope?: string) => OIDCProviderError;
    readonly InvalidTarget: DescribedError;
    readonly InvalidGrant: new () => OIDCProviderError;
    readonly UnauthorizedClient: DescribedError;
    readonly OIDCProviderError: typeof OIDCProviderError;
  };

  export default Provider;
}
