import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { botFrameworkSettings, type TeamsConfig } from '../../../config/teams.ts';
import type { Clock } from '../../../domain/clock.ts';
import { ClientSecretCredentialsFactory } from './client-secret-credentials.ts';

/**
 * botbuilder's own authentication, configured from the standard setting names: it verifies
 * inbound activities (RS256 signature against the keys of the OpenID metadata document, `iss`,
 * `aud` = the app id, expiry, key endorsement for the channel, `serviceurl` claim = the
 * activity's service URL) and signs outbound connector calls with our client-secret credentials.
 */
export function createBotAuthentication(config: TeamsConfig, clock: Clock): ConfigurationBotFrameworkAuthentication {
  const credentials = new ClientSecretCredentialsFactory({ appId: config.appId, appPassword: config.appPassword, clock });
  return new ConfigurationBotFrameworkAuthentication(
    botFrameworkSettings(config),
    credentials as unknown as ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1],
    { requiredEndorsements: [] },
  );
}
