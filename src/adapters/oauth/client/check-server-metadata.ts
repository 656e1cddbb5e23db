import type { ServerMetadata } from 'openid-client';
import { ElevateError } from '../../../domain/errors.ts';
import { TOKEN_EXCHANGE_GRANT_TYPE } from '../token-types.ts';

/**
 * Refuses to start against an AS that cannot do what Elevate needs: token exchange (listed in
 * `grant_types_supported`), revocation (`revocation_endpoint`), and the configured client
 * authentication method when the AS lists its methods. A missing introspection endpoint only
 * disables `introspect()`, so it is reported as a warning by the caller.
 */
export function checkServerMetadata(metadata: Readonly<ServerMetadata>, clientAuthMethod: string): void {
  const missing: string[] = [];
  if (typeof metadata.token_endpoint !== 'string') missing.push('a token_endpoint');
  if (!metadata.grant_types_supported?.includes(TOKEN_EXCHANGE_GRANT_TYPE)) {
    missing.push(`the token-exchange grant (${TOKEN_EXCHANGE_GRANT_TYPE}) in grant_types_supported`);
  }
  if (typeof metadata.revocation_endpoint !== 'string') missing.push('a revocation_endpoint (RFC 7009)');
  const methods = metadata.token_endpoint_auth_methods_supported;
  if (methods !== undefined && !methods.includes(clientAuthMethod)) {
    missing.push(`${clientAuthMethod} in token_endpoint_auth_methods_supported (it lists ${methods.join(', ')})`);
  }
  if (missing.length === 0) return;
  throw new ElevateError('config_invalid', `The authorization server ${metadata.issuer} does not advertise ${missing.join('; ')}. See "Connecting your authorization server" in the README.`, {
    details: { issuer: metadata.issuer, missing },
  });
}
