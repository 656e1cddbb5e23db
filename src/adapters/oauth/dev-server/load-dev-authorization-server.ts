import { ElevateError } from '../../../domain/errors.ts';
import type { DevAuthorizationServer, DevAuthorizationServerOptions } from './create-dev-authorization-server.ts';

/**
 * Loads oidc-provider (and Koa) only when the embedded AS is wanted, so a deployment against a
 * real authorization server never imports the development server's code, and a production
 * process refuses before loading it.
 */
export async function createDevAuthorizationServer(options: DevAuthorizationServerOptions): Promise<DevAuthorizationServer> {
  if (options.nodeEnv === 'production') throw productionRefusal();
  const { createDevAuthorizationServer: create } = await import('./create-dev-authorization-server.ts');
  return create(options);
}

export function productionRefusal(): ElevateError {
  return new ElevateError('config_invalid', 'The embedded development authorization server cannot run with NODE_ENV=production; set OAUTH_ISSUER to your authorization server.');
}
