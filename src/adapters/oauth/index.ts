/**
 * The OAuth adapter: the bot's keys and JWKS, the `TokenIssuer` over any RFC 8693 authorization
 * server, and the embedded development authorization server.
 */
export { loadBotKeys } from './keys/load-bot-keys.ts';
export { createBotKeys, type BotKeys, type SigningKey } from './keys/bot-keys.ts';
export { createJwksHandler } from './keys/jwks-handler.ts';
export type { JwksDocument, PublicJwk } from './keys/public-jwk.ts';
export { connectAuthorizationServer, createTokenIssuer, type AuthorizationServerClients, type TokenIssuerDeps } from './client/create-token-issuer.ts';
export type { ApiTokenSettings } from './api-tokens/oauth-access-token-verifier.ts';
export { OAuthError, type OAuthFailureReason, type OAuthOperation } from './oauth-error.ts';
export { createDevAuthorizationServer } from './dev-server/load-dev-authorization-server.ts';
export type { DevAuthorizationServer, DevAuthorizationServerOptions, DevBotClientAuth } from './dev-server/create-dev-authorization-server.ts';
export type { DevScopeDefinition, ListScopes } from './dev-server/scope-catalogue.ts';
export type { DevApiClientsOptions } from './dev-server/api-clients/api-clients-setup.ts';
export type { DevPrincipal, ListDevPrincipals } from './dev-server/dev-principals.ts';
export { API_TOKEN_MAX_TTL_SEC, DEV_API_SCOPE } from './dev-server/api-clients/api-scope.ts';
export { DEFAULT_CLI_CLIENT_ID } from './dev-server/api-clients/cli-client.ts';
export { CLIENT_SECRETS_FILE_NAME } from './dev-server/api-clients/client-secrets-file.ts';
export { devAuthorizationServerSettings, ELEVATE_SIGN_IN_CALLBACK_PATHS } from './dev-server/settings-from-config.ts';
export { DEV_LOGIN_ACR, DEV_LOGIN_AMR } from './dev-server/interactions/dev-login.ts';
export { DEV_TOTP_SECRETS_FILE_NAME } from './dev-server/totp/totp-parameters.ts';
