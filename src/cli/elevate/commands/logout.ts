import type { CommandSetup } from '../command-setup.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { formatJson } from '../render.ts';
import { serverKey } from '../server-url.ts';

/**
 * `elevate logout`: deletes this server's cached tokens. (They are not revoked at the AS: the
 * access token lapses within minutes and the refresh token is gone from the only place it was
 * kept.)
 */
export async function logout({ ctx, server, cache, json }: CommandSetup): Promise<ExitCode> {
  const key = serverKey(server);
  const removed = cache.delete(key);
  if (json) ctx.io.stdout(formatJson({ server: key, loggedOut: removed }));
  else ctx.io.stderr(removed ? `Logged out of ${key}.\n` : `Not logged in to ${key}; nothing to do.\n`);
  return EXIT.ok;
}
