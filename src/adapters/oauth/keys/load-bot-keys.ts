import { readFile } from 'node:fs/promises';
import type { OAuthConfig } from '../../../config/oauth.ts';
import { ElevateError } from '../../../domain/errors.ts';
import type { Logger } from '../../../logging/logger.ts';
import { createBotKeys, type BotKeys } from './bot-keys.ts';
import { readOrCreateDevSigningKeys } from './dev-signing-keys.ts';
import { parseClientKeyText, parseSigningKeysText, type PrivateKeyEntry } from '../../../shared/keys/parse-key-file.ts';

/**
 * Loads the bot's keys as configured: the signing keys from ELEVATE_SIGNING_KEYS_FILE (or the
 * development key pair in the data directory) and, for `private_key_jwt` with its own key, the
 * client key from OAUTH_PRIVATE_KEY_FILE. Fails with `config_invalid` naming the file.
 */
export async function loadBotKeys(config: Pick<OAuthConfig, 'signingKeys' | 'clientAuth'>, deps: { logger: Logger }): Promise<BotKeys> {
  const { signingKeys, clientAuth } = config;
  const signingEntries =
    signingKeys.source === 'file'
      ? await readKeyFile(signingKeys.file, 'ELEVATE_SIGNING_KEYS_FILE', parseSigningKeysText)
      : await readOrCreateDevSigningKeys(signingKeys.file, deps.logger);
  const clientEntry =
    clientAuth.method === 'private_key_jwt' && clientAuth.keyFile !== null
      ? (await readKeyFile(clientAuth.keyFile, 'OAUTH_PRIVATE_KEY_FILE', parseClientKeyText))[0]
      : undefined;
  let keys: BotKeys;
  try {
    keys = await createBotKeys(signingEntries, clientEntry);
  } catch (error) {
    throw new ElevateError('config_invalid', 'The bot signing keys could not be imported.', {
      cause: new Error((error as Error).message),
      details: { file: signingKeys.file },
    });
  }
  deps.logger.info(
    { signing_kid: keys.signingKey.kid, published_kids: keys.publicJwks().keys.map((key) => key.kid), source: signingKeys.source },
    'bot signing keys loaded',
  );
  return keys;
}

async function readKeyFile<T extends PrivateKeyEntry | PrivateKeyEntry[]>(file: string, key: string, parse: (text: string) => T): Promise<PrivateKeyEntry[]> {
  let parsed: T;
  try {
    parsed = parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ElevateError('config_invalid', `${key}: ${file}: ${reason}`, { details: { key, file } });
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}
