export const DEFAULT_CLI_CLIENT_ID = 'elevate-cli';
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * The `elevate` CLI as a public client (RFC 8628 §5.6: a device has no secret to keep): signs
 * people in by the device authorization grant and keeps them signed in by refresh tokens.
 */
export function cliClientMetadata(clientId: string): Record<string, unknown> {
  return {
    client_id: clientId,
    client_name: 'The Elevate CLI',
    token_endpoint_auth_method: 'none',
    grant_types: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
    response_types: [],
    redirect_uris: [],
    // The ID token always says when the person signed in (the login records how, too).
    require_auth_time: true,
  };
}
