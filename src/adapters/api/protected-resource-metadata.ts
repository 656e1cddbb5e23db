/** Where clients find out how to get a token for the API (RFC 9728). */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * RFC 9728 protected resource metadata: the API identifier (the `aud` tokens must carry), its
 * authorization server, and, as Elevate's own members, the public client and scope the `elevate`
 * CLI signs people in with. No secret is in it: it is served to anyone.
 */
export function protectedResourceMetadata(input: { audience: string; issuer: string; cliClientId: string | null; cliScope: string }): Record<string, unknown> {
  return {
    resource: input.audience,
    authorization_servers: [input.issuer],
    bearer_methods_supported: ['header'],
    resource_name: 'Elevate API',
    ...(input.cliClientId ? { elevate_cli_client_id: input.cliClientId, elevate_cli_scope: input.cliScope } : {}),
  };
}
