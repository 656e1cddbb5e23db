/**
 * The development AS in a process of its own, as an authorization server is in production, so
 * a benchmark does not share one JavaScript thread between the AS and the code it measures.
 *
 * Reads BOT_PUBLIC_JWKS (the bot's public JWKS, JSON), CLIENT_ID and optionally BOT_ASSERTION_ISSUER
 * (the public URL of the Elevate instances whose assertions it accepts) from the environment, prints
 * one JSON line `{"issuer":…,"origin":…}` when it listens, and exits when its stdin closes.
 */
import type { BotKeys } from '../../../src/adapters/oauth/index.ts';
import type { JwksDocument } from '../../../src/adapters/oauth/keys/public-jwk.ts';
import { serveDevAuthorizationServer } from './dev-authorization-server-on-loopback.ts';

const jwks = JSON.parse(process.env.BOT_PUBLIC_JWKS ?? '{"keys":[]}') as JwksDocument;
const keys = { publicJwks: () => jwks } as unknown as BotKeys;
const served = await serveDevAuthorizationServer({
  keys,
  clientId: process.env.CLIENT_ID ?? 'elevate',
  auth: { method: 'private_key_jwt' },
  maxTokenTtlSec: 3600,
  ...(process.env.BOT_ASSERTION_ISSUER ? { botAssertionIssuer: process.env.BOT_ASSERTION_ISSUER } : {}),
});
process.stdout.write(`${JSON.stringify({ issuer: served.issuer, origin: served.origin })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void served.close().finally(() => process.exit(0));
});
