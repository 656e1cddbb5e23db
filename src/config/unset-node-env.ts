import type { OAuthConfig } from './oauth.ts';
import { isLoopbackHost } from './oauth.ts';
import type { ConfigProblem, Env } from './problems.ts';
import { nonEmpty } from './problems.ts';
import type { ServiceConfig } from './env.ts';
import type { TeamsConfig } from './teams.ts';

/**
 * With NODE_ENV unset Elevate runs as development, so `npm start` with no settings works on a
 * laptop. That default is dangerous only for a deployment that forgot NODE_ENV=production: it
 * would silently use keys generated into the data directory, the embedded authorization server
 * or a Teams bot open to every tenant. So when NODE_ENV is unset and the settings point beyond
 * this machine (a database, an authorization server or a public URL that is not loopback),
 * every development-only default that would be used is a problem, and the start is refused.
 * An explicit NODE_ENV=development accepts them; NODE_ENV=production requires the real settings.
 */
export function checkUnsetNodeEnv(
  env: Env,
  config: { service: ServiceConfig; oauth: OAuthConfig; teams: TeamsConfig | null },
  problems: ConfigProblem[],
): void {
  if (nonEmpty(env['NODE_ENV']) !== undefined) return;
  const beyond = beyondThisMachine(env);
  if (beyond.length === 0) return;
  const defaults = developmentDefaults(config);
  if (defaults.length === 0) return;
  problems.push({
    key: 'NODE_ENV',
    message:
      `not set, while ${beyond.join(' and ')} point beyond this machine and development-only defaults would be used (${defaults.join('; ')}). ` +
      'Set NODE_ENV=production and configure them, or NODE_ENV=development to accept them.',
  });
}

function beyondThisMachine(env: Env): string[] {
  const remote = (key: string) => {
    const text = nonEmpty(env[key]);
    if (text === undefined) return false;
    try {
      return !isLoopbackHost(new URL(text).hostname);
    } catch {
      return false; // reported by the variable's own check
    }
  };
  return ['DATABASE_URL', 'OAUTH_ISSUER', 'ELEVATE_PUBLIC_URL'].filter(remote);
}

function developmentDefaults({ service, oauth, teams }: { service: ServiceConfig; oauth: OAuthConfig; teams: TeamsConfig | null }): string[] {
  return [
    ...(service.encryptionKeys ? [] : ['a token-encryption key generated into the data directory (ELEVATE_ENCRYPTION_KEY)']),
    ...(service.auditKeys ? [] : ['an audit key generated into the data directory (ELEVATE_AUDIT_KEY)']),
    ...(oauth.mode === 'embedded' ? ['the embedded development authorization server (OAUTH_ISSUER)'] : []),
    ...(oauth.signingKeys.source === 'generated' ? ['assertion signing keys generated into the data directory (ELEVATE_SIGNING_KEYS_FILE)'] : []),
    ...(teams && teams.allowedTenants.length === 0 ? ['a Teams bot open to every tenant (TEAMS_ALLOWED_TENANTS)'] : []),
  ];
}
