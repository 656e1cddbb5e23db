import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
 * submitting the development login page's forms like a browser, cookies included), then poll the
 * token endpoint.
 */
export async function personToken(serviceUrl: string, principalId: string): Promise<string> {
  const { resource, issuer, cliClientId, cliScope } = await discover(serviceUrl);
  const metadata = await metadataOf(issuer);
  const started = await fetch(metadata['device_authorization_endpoint'] as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: cliClientId, scope: cliScope, resource }),
  });
  const device = (await started.json()) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete?: string; interval?: number };
  if (started.status !== 200) throw new Error(`device authorization refused: ${started.status} ${JSON.stringify(device)}`);
  await signInAsBrowser(device.verification_uri_complete ?? device.verification_uri, { user_code: device.user_code }, principalId);
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
 * Walks the development AS's pages from `url` like a browser: follows redirects with its cookies,
 * and on each page submits the form that names `principalId` (a button or option), or else the
 * only form, with its hidden fields and `fields` filled in. Stops at a page without a form.
 */
export async function signInAsBrowser(url: string, fields: Record<string, string>, principalId: string): Promise<string> {
  const cookies = new Map<string, string>();
  let next: { url: string; method: string; body?: URLSearchParams } | null = { url, method: 'GET' };
  let last = '';
  for (let step = 0; step < 20 && next; step++) {
    const response: Response = await fetch(next.url, {
      method: next.method,
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: next.body,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!.trim(), value.join('='));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      next = { url: new URL(location, next.url).href, method: 'GET' };
      continue;
    }
    last = await response.text();
    next = nextForm(last, next.url, fields, principalId);
  }
  return last;
}

function nextForm(html: string, pageUrl: string, fields: Record<string, string>, principalId: string): { url: string; method: string; body: URLSearchParams } | null {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  if (forms.length === 0) return null;
  const attribute = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag)?.[1]?.replace(/&amp;/g, '&');
  const chosen = forms.find((form) => form[2]!.includes(`value="${principalId}"`)) ?? forms[0]!;
  const body = new URLSearchParams();
  for (const input of chosen[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (!name) continue;
    const type = attribute(input[0], 'type') ?? 'text';
    if (type === 'radio' && attribute(input[0], 'value') !== principalId) continue;
    body.set(name, fields[name] ?? attribute(input[0], 'value') ?? '');
  }
  for (const select of chosen[2]!.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>/gi)) body.set(select[1]!, principalId);
  const button = [...chosen[2]!.matchAll(/<button\b[^>]*>/gi)].find((b) => attribute(b[0], 'value') === principalId) ?? [...chosen[2]!.matchAll(/<button\b[^>]*>/gi)][0];
  const buttonName = button ? attribute(button[0], 'name') : undefined;
  if (button && buttonName) body.set(buttonName, attribute(button[0], 'value') ?? '');
  for (const [name, value] of Object.entries(fields)) if (!body.has(name) && chosen[2]!.includes(`name="${name}"`)) body.set(name, value);
  const action = attribute(chosen[1]!, 'action') ?? pageUrl;
  return { url: new URL(action, pageUrl).href, method: (attribute(chosen[1]!, 'method') ?? 'GET').toUpperCase(), body };
}
