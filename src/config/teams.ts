import { nonEmpty, readSecret, type ConfigProblem, type Env } from './problems.ts';

/**
 * Every environment variable the Teams adapter reads, for the README configuration table. The
 * names are botbuilder's own (`ConfigurationBotFrameworkAuthentication`), so an existing Azure
 * Bot configuration works unchanged.
 */
export const TEAMS_ENV_VARS = [
  { name: 'MicrosoftAppId', default: '(unset: Teams off)', meaning: 'Application (client) id of the Azure Bot registration. Inbound tokens must carry it as `aud`.' },
  { name: 'MicrosoftAppPassword', default: '(required with MicrosoftAppId)', meaning: 'Client secret of that app registration; the bot uses it to get its outbound token. Also MicrosoftAppPassword_FILE.' },
  { name: 'MicrosoftAppType', default: 'MultiTenant', meaning: 'MultiTenant or SingleTenant (UserAssignedMSI is not supported by this version).' },
  { name: 'MicrosoftAppTenantId', default: '(unset)', meaning: 'Directory (tenant) id; required for SingleTenant, where the bot gets its token from that tenant.' },
  { name: 'TEAMS_ALLOWED_TENANTS', default: '(unset)', meaning: 'Comma-separated directory (tenant) ids whose activities a MultiTenant bot accepts; others are ignored. A MultiTenant bot without MicrosoftAppTenantId needs it when NODE_ENV=production.' },
  { name: 'ToBotFromChannelOpenIdMetadataUrl', default: 'https://login.botframework.com/v1/.well-known/openidconfiguration', meaning: 'Where the keys that sign inbound activities are published (endpoint override; tests point it at a local server).' },
  { name: 'ToBotFromChannelTokenIssuer', default: 'https://api.botframework.com', meaning: 'Required `iss` of inbound tokens (endpoint override).' },
  { name: 'ToChannelFromBotLoginUrl', default: 'https://login.microsoftonline.com/botframework.com', meaning: 'Authority the bot gets its outbound token from: `<url>/oauth2/v2.0/token` (endpoint override).' },
  { name: 'ToChannelFromBotOAuthScope', default: 'https://api.botframework.com', meaning: 'Resource the outbound token is for (`<scope>/.default`) (endpoint override).' },
  { name: 'OAuthUrl', default: 'https://api.botframework.com', meaning: 'Bot Framework token service (user sign-in; unused by Elevate but passed through) (endpoint override).' },
  { name: 'ValidateAuthority', default: 'true', meaning: 'botbuilder setting, passed through (endpoint override).' },
  { name: 'TEAMS_REQUEST_TIMEOUT_MS', default: '4000', meaning: 'How long an Approve/Deny click waits for the decision (and token exchange) before answering Teams with the current card, and a submitted request form for its outcome before it says "queued"; the rest finishes in the background.' },
] as const;

export const TEAMS_DEFAULTS = {
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  tokenIssuer: 'https://api.botframework.com',
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
  oauthScope: 'https://api.botframework.com',
  oauthUrl: 'https://api.botframework.com',
} as const;

/** The Teams adapter's settings. The password is non-enumerable, so logging the config never prints it. */
export interface TeamsConfig {
  readonly appId: string;
  readonly appPassword: string;
  readonly appType: 'MultiTenant' | 'SingleTenant';
  readonly tenantId: string | null;
  /**
   * The tenants whose activities are accepted: MicrosoftAppTenantId and TEAMS_ALLOWED_TENANTS.
   * Empty: any tenant that installs the bot (multi-tenant without an allow-list, development only).
   */
  readonly allowedTenants: readonly string[];
  readonly openIdMetadataUrl: string;
  readonly tokenIssuer: string;
  /** For SingleTenant, already pointing at the tenant. */
  readonly loginUrl: string;
  readonly oauthScope: string;
  readonly oauthUrl: string;
  readonly validateAuthority: boolean;
  readonly decisionTimeoutMs: number;
}

/**
 * Reads the Teams settings. Null when `MicrosoftAppId` is unset (Teams off); a half-configured
 * Teams (an app id without a password, SingleTenant without a tenant) is a problem.
 */
export function readTeamsConfig(env: Env, problems: ConfigProblem[], context: { production: boolean } = { production: false }): TeamsConfig | null {
  const appId = nonEmpty(env['MicrosoftAppId']);
  const appPassword = readSecret(env, 'MicrosoftAppPassword', problems);
  if (appId === undefined) {
    if (appPassword !== undefined) problems.push({ key: 'MicrosoftAppPassword', message: 'set, but MicrosoftAppId is not: set the app id of the bot registration too' });
    return null;
  }
  if (appPassword === undefined) problems.push({ key: 'MicrosoftAppPassword', message: 'required with MicrosoftAppId: a client secret of the bot’s app registration' });
  const typeText = nonEmpty(env['MicrosoftAppType']) ?? 'MultiTenant';
  const appType = typeText.toLowerCase() === 'singletenant' ? 'SingleTenant' : 'MultiTenant';
  if (!['multitenant', 'singletenant'].includes(typeText.toLowerCase())) {
    problems.push({ key: 'MicrosoftAppType', message: `expected MultiTenant or SingleTenant${typeText.toLowerCase() === 'userassignedmsi' ? ' (managed identities are not supported by this version)' : ''}` });
  }
  const tenantId = nonEmpty(env['MicrosoftAppTenantId']) ?? null;
  if (appType === 'SingleTenant' && tenantId === null) problems.push({ key: 'MicrosoftAppTenantId', message: 'required when MicrosoftAppType is SingleTenant' });
  const allowedTenants = readAllowedTenants(env, tenantId, problems);
  if (context.production && allowedTenants.length === 0) {
    problems.push({
      key: 'TEAMS_ALLOWED_TENANTS',
      message: 'required when NODE_ENV=production for a MultiTenant bot without MicrosoftAppTenantId: list the directory (tenant) ids allowed to use Elevate, or anyone who installs the bot in their tenant can talk to it',
    });
  }
  const explicitLogin = nonEmpty(env['ToChannelFromBotLoginUrl']);
  const loginUrl = readUrl(env, 'ToChannelFromBotLoginUrl', explicitLogin ?? (appType === 'SingleTenant' && tenantId ? `https://login.microsoftonline.com/${tenantId}` : TEAMS_DEFAULTS.loginUrl), problems);
  const timeout = nonEmpty(env['TEAMS_REQUEST_TIMEOUT_MS']);
  const decisionTimeoutMs = timeout === undefined ? 4000 : Number(timeout);
  if (!Number.isInteger(decisionTimeoutMs) || decisionTimeoutMs < 100 || decisionTimeoutMs > 14_000) {
    problems.push({ key: 'TEAMS_REQUEST_TIMEOUT_MS', message: 'expected milliseconds between 100 and 14000 (Teams gives up on an invoke after about 15 s)' });
  }
  const validate = nonEmpty(env['ValidateAuthority'])?.toLowerCase() ?? 'true';
  if (!['true', 'false'].includes(validate)) problems.push({ key: 'ValidateAuthority', message: 'expected true or false' });
  const config: Omit<TeamsConfig, 'appPassword'> = {
    appId,
    appType,
    tenantId,
    allowedTenants,
    openIdMetadataUrl: readUrl(env, 'ToBotFromChannelOpenIdMetadataUrl', TEAMS_DEFAULTS.openIdMetadataUrl, problems),
    tokenIssuer: nonEmpty(env['ToBotFromChannelTokenIssuer']) ?? TEAMS_DEFAULTS.tokenIssuer,
    loginUrl: loginUrl.replace(/\/+$/, ''),
    oauthScope: nonEmpty(env['ToChannelFromBotOAuthScope']) ?? TEAMS_DEFAULTS.oauthScope,
    oauthUrl: readUrl(env, 'OAuthUrl', TEAMS_DEFAULTS.oauthUrl, problems),
    validateAuthority: validate !== 'false',
    decisionTimeoutMs: Number.isInteger(decisionTimeoutMs) ? decisionTimeoutMs : 4000,
  };
  Object.defineProperty(config, 'appPassword', { value: appPassword ?? '', enumerable: false });
  return Object.freeze(config as TeamsConfig);
}

/** The settings object `ConfigurationBotFrameworkAuthentication` reads, under botbuilder's own names. */
export function botFrameworkSettings(config: TeamsConfig): Record<string, string> {
  return {
    MicrosoftAppId: config.appId,
    MicrosoftAppType: config.appType,
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
    ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: config.tokenIssuer,
    ToChannelFromBotLoginUrl: config.loginUrl,
    ToChannelFromBotOAuthScope: config.oauthScope,
    OAuthUrl: config.oauthUrl,
    ValidateAuthority: String(config.validateAuthority),
  };
}

function readUrl(env: Env, key: string, fallback: string, problems: ConfigProblem[]): string {
  const text = nonEmpty(env[key]);
  if (text === undefined) return fallback;
  try {
    const url = new URL(text);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) problems.push({ key, message: 'expected https (plain http only for localhost / loopback)' });
  } catch {
    problems.push({ key, message: 'expected an absolute URL' });
  }
  return text;
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readAllowedTenants(env: Env, tenantId: string | null, problems: ConfigProblem[]): string[] {
  const listed = (nonEmpty(env['TEAMS_ALLOWED_TENANTS']) ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  const bad = listed.filter((t) => !TENANT_ID.test(t));
  if (bad.length > 0) problems.push({ key: 'TEAMS_ALLOWED_TENANTS', message: `expected directory (tenant) ids (GUIDs), comma-separated; not one: ${bad.map((t) => JSON.stringify(t.slice(0, 40))).join(', ')}` });
  return [...new Set([...(tenantId ? [tenantId] : []), ...listed.filter((t) => TENANT_ID.test(t))].map((t) => t.toLowerCase()))];
}
