import type { DesiredState } from '../domain/desired-state.ts';
import { readApiConfig, type ApiConfig } from './api.ts';
import { readAuditStreamConfig, type AuditStreamConfig } from './audit-stream.ts';
import { readChatStatus, type ChatAdapterStatus } from './chat.ts';
import { readDashboardConfig, type DashboardConfig } from './dashboard.ts';
import { loadElevateConfigFile } from './elevate-file.ts';
import { readMetricsConfig, type MetricsConfig } from './metrics.ts';
import { readServiceConfig, type ServiceConfig } from './env.ts';
import { readOAuthConfig, type OAuthConfig } from './oauth.ts';
import { readSlackConfig, type SlackConfig } from './slack.ts';
import { readTeamsConfig, type TeamsConfig } from './teams.ts';
import { checkUnsetNodeEnv } from './unset-node-env.ts';
import { ConfigError, type ConfigProblem, type Env } from './problems.ts';

export interface AppConfig {
  service: ServiceConfig;
  oauth: OAuthConfig;
  api: ApiConfig;
  /** Where `/metrics` is served, if anywhere. */
  metrics: MetricsConfig;
  /** Null when Slack is off (no signing secret and bot token). */
  slack: SlackConfig | null;
  /** Null when Teams is off (no MicrosoftAppId). */
  teams: TeamsConfig | null;
  chat: ChatAdapterStatus[];
  /** Null when no audit stream is configured (AUDIT_WEBHOOK_URL unset). */
  auditStream: AuditStreamConfig | null;
  dashboard: DashboardConfig;
  /** The parsed `ELEVATE_CONFIG` file, or null when none is configured. */
  desired: { file: string; state: DesiredState } | null;
}

/**
 * Reads the whole configuration once, at start-up: environment and config file. Throws one
 * {@link ConfigError} naming every bad key, so a failed start lists everything to fix at once.
 * The result is frozen.
 */
export function loadConfig(env: Env, options: { isTty?: boolean } = {}): AppConfig {
  const problems: ConfigProblem[] = [];
  const service = readServiceConfig(env, problems, options.isTty ?? false);
  const oauth = readOAuthConfig(env, problems, { publicUrl: service.publicUrl, dataDir: service.dataDir, nodeEnv: service.nodeEnv });
  const api = readApiConfig(env, problems, { publicUrl: service.publicUrl, embeddedAs: oauth.mode === 'embedded' });
  const metrics = readMetricsConfig(env, problems, { host: service.host, port: service.port, production: service.production });
  const slack = readSlackConfig(env, problems);
  const teams = readTeamsConfig(env, problems, { production: service.production });
  const auditStream = readAuditStreamConfig(env, problems);
  const dashboard = readDashboardConfig(env, problems);
  let desired: AppConfig['desired'] = null;
  if (service.configFile) {
    try {
      desired = { file: service.configFile, state: loadElevateConfigFile(service.configFile) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((p) => ({ key: p.key === 'ELEVATE_CONFIG' ? p.key : `ELEVATE_CONFIG ${p.key}`, message: p.message })));
    }
  }
  checkUnsetNodeEnv(env, { service, oauth, teams }, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ service, oauth, api, metrics, slack, teams, chat: readChatStatus(env), auditStream, dashboard, desired });
}
