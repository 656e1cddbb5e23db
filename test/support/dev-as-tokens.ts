import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signInOnDevicePage } from '../fakes/oauth/device-sign-in.ts';
import { TestBrowser } from '../fakes/oauth/test-browser.ts';

/**
 * Access tokens for the API from the embedded development AS, obtained the way real clients
 * obtain them: client credentials for a service principal (its secret from the data directory),
 * and the device authorization grant for a person, whose development login page this drives over
 * HTTP as a browser would.
 */
export async function serviceAccountToken(serviceUrl: string, dataDir: string, principalId: string): Promise<string> {
  const secrets = JSON.parse(readFileSync(join(dataDir, 'dev-client-secrets.json'), 'utf8')) as Record<string, string>;
  const secret = secrets[principalId];
  if (!secret) throw new Error(`no development client secret for ${principalId}`);
  const { resource, issuer } = await discover(serviceUrl);
  const tokenEndpoint = (await metadataOf(issuer))['token_endpoint'] as string;
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(principalId)}:${encodeURIComponent(secret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof body['access_token'] !== 'string') throw new Error(`client credentials refused: ${response.status} ${String(body['error'])}`);
  return body['access_token'];
}

export async function discover(serviceUrl: string): Promise<{ resource: string; issuer: string; cliClientId: string; cliScope: string }> {
  const metadata = (await (await fetch(`${serviceUrl}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
  return {
    resource: metadata['resource'] as string,
    issuer: (metadata['authorization_servers'] as string[])[0]!,
    cliClientId: metadata['elevate_cli_client_id'] as string,
    cliScope: metadata['elevate_cli_scope'] as string,
  };
}

export async function metadataOf(issuer: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
}

/**
 * A person's API token by the device authorization grant (RFC 8628), as the CLI gets one: ask for
 * a user code, let the person sign in at the verification page (this function plays the person,
 * submitting the development login page's forms like a browser, cookies included, with the one-time
 * code of the person's TOTP secret in `dataDir`), then poll the token endpoint.
 */
export async function personToken(serviceUrl: string, dataDir: string, principalId: string): Promise<string> {
  const { resource, issuer, cliClientId, cliScope } = await discover(serviceUrl);
  const metadata = await metadataOf(issuer);
  const started = await fetch(metadata['device_authorization_endpoint'] as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: cliClientId, scope: cliScope, resource }),
  });
  const device = (await started.json()) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete?: string; interval?: number };
  if (started.status !== 200) throw new Error(`device authorization refused: ${started.status} ${JSON.stringify(device)}`);
  await signInAsBrowser(device.verification_uri, { user_code: device.user_code }, principalId, dataDir);
  for (let attempt = 0; attempt < 20; attempt++) {
    const polled = await fetch(metadata['token_endpoint'] as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code, client_id: cliClientId }),
    });
    const body = (await polled.json()) as Record<string, unknown>;
    if (polled.status === 200 && typeof body['access_token'] === 'string') return body['access_token'];
    if (body['error'] !== 'authorization_pending' && body['error'] !== 'slow_down') throw new Error(`device flow failed: ${String(body['error'])}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('device flow: no token after the sign-in');
}

/**
 * Plays the person at the device flow's verification page: enters `user_code`, picks
 * `principalId` on the development login page and types their one-time code (from the TOTP
 * secrets in `dataDir`, the service's `ELEVATE_DATA_DIR`), in a fresh {@link TestBrowser}.
 */
export async function signInAsBrowser(verificationUri: string, fields: { user_code: string }, principalId: string, dataDir: string): Promise<void> {
  // A suite signs one person in as often as its scenarios need (CLI logins, step-ups), more than
  // twice within one 30-second TOTP step on a fast machine: the AS forgets the step this person
  // last used, as if time had moved on. Its refusal of a reused code is tested on its own
  // (test/integration/oauth/dev-login-totp.test.ts), which never goes through this helper.
  const page = await signInOnDevicePage(new TestBrowser(), { verificationUri: verificationUri.split('?')[0]!, userCode: fields.user_code, principalId, dataDir, forgetUsedCodes: true });
  if (page.status !== 200) throw new Error(`sign-in as ${principalId} ended on ${page.status} ${page.url}`);
}
