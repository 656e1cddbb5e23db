import type { CommandSetup } from '../command-setup.ts';
import { discoverServer } from '../discover.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { clientCredentialsLogin, readClientCredentials } from '../login-client-credentials.ts';
import { deviceLogin } from '../login-device.ts';
import { formatJson } from '../render.ts';
import { serverKey } from '../server-url.ts';

/** `elevate login [--client-credentials]`: signs in and caches the tokens for this server. */
export async function login({ ctx, server, cache, json }: CommandSetup, options: { clientCredentials?: boolean }): Promise<ExitCode> {
  // Read the credentials before any network call, so a missing variable is reported at once.
  const credentials = options.clientCredentials ? readClientCredentials(ctx.env) : undefined;
  const meta = await discoverServer(ctx, server);
  const result = credentials ? await clientCredentialsLogin(ctx, server, meta, credentials) : await deviceLogin(ctx, server, meta);
  cache.write(result);
  const who = result.subject ?? result.clientId;
  if (json) ctx.io.stdout(formatJson({ server: serverKey(server), subject: who, method: result.method, expiresAt: new Date(result.expiresAt).toISOString() }));
  else ctx.io.stderr(`Logged in to ${serverKey(server)} as ${who}.\n`);
  return EXIT.ok;
}
