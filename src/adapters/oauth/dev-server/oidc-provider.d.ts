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
    readonly clientName?: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  /** What a grant source (device code, refresh token) records of the person's sign-in. */
  export interface AuthenticationRecord {
    readonly authTime?: number;
    readonly acr?: string;
    readonly amr?: string[];
  }

  export interface OidcContext {
    readonly params: Record<string, ParamValue>;
    readonly client: OidcClient;
    readonly entities: {
      /** `params`: the device authorization request's parameters as oidc-provider stored them. */
      readonly DeviceCode?: AuthenticationRecord & { readonly params?: Record<string, unknown> };
      readonly RefreshToken?: AuthenticationRecord;
      readonly AuthorizationCode?: AuthenticationRecord;
      readonly [entity: string]: unknown;
    };
    /** The browser session: the device pages' CSRF secret lives in its `state`. */
    readonly session: { readonly accountId?: string; state?: { secret?: string } };
    /** The `acr` of the browser session's login. */
    readonly acr?: string;
    /** The interaction result being resumed, if any. */
    readonly result?: InteractionResult;
    urlFor(route: string, options?: { query?: Record<string, string> }): string;
    entity(key: string, value: unknown): void;
  }

  /** The part of Koa's context the development AS's middleware and pages use. */
  export interface KoaContext {
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    readonly method: string;
    readonly path: string;
    querystring: string;
    body: unknown;
    status: number;
    type: string;
    readonly state: Record<string, unknown>;
    readonly response: { is(type: string): string | false };
    set(field: string, value: string): void;
    get(field: string): string;
    redirect(url: string): void;
  }

  export interface KoaContextWithOIDC extends KoaContext {
    readonly oidc: OidcContext;
  }

  export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  export type GrantTypeHandler = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface TokenInit {
    client: OidcClient;
    accountId?: string;
    scope?: string;
    expiresIn?: number;
    gty?: string;
    resourceServer?: ResourceServer;
  }

  /** What `features.resourceIndicators.getResourceServerInfo` answers for a resource. */
  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg: string } };
  }

  export class ResourceServer {
    constructor(identifier: string, info: ResourceServerInfo);
  }

  /** An interaction in progress (`interactionDetails`): which prompt it waits for, and for whom. */
  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { readonly name: string; readonly reasons: readonly string[]; readonly details: Record<string, unknown> };
    readonly params: Record<string, unknown>;
    readonly session?: { readonly accountId: string; readonly uid: string };
    readonly grantId?: string;
  }

  export interface InteractionResult {
    login?: { accountId: string; acr?: string; amr?: string[]; ts?: number; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface OidcGrant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantClass {
    new (init: { accountId: string; clientId: string }): OidcGrant;
    find(id: string): Promise<OidcGrant | undefined>;
  }

  export interface IssuableToken {
    /** The model: `AccessToken`, `ClientCredentials`, … */
    readonly kind: string;
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
    readonly Grant: GrantClass;
    readonly Client: { find(id: string): Promise<OidcClient | undefined> };
    readonly ResourceServer: typeof ResourceServer;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    /** Koa middleware run before oidc-provider's own routes. */
    use(middleware: KoaMiddleware): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    /** Records the result and answers where the browser goes next (the resume URL). */
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResult, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
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
    readonly SessionNotFound: DescribedError;
    readonly OIDCProviderError: typeof OIDCProviderError;
  };

  /** A reason for a prompt: answers `REQUEST_PROMPT` (true) when the prompt is needed. */
  export class InteractionCheck {
    constructor(reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static readonly REQUEST_PROMPT: true;
    static readonly NO_NEED_TO_PROMPT: false;
  }

  export interface InteractionPrompt {
    readonly name: string;
    readonly checks: InteractionCheck[];
  }

  export interface InteractionPolicy extends Array<InteractionPrompt> {
    get(name: 'login' | 'consent'): InteractionPrompt;
  }

  export const interactionPolicy: {
    base(): InteractionPolicy;
    readonly Check: typeof InteractionCheck;
  };

  export default Provider;
}
