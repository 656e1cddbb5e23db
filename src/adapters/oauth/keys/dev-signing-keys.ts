import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { Logger } from '../../../logging/logger.ts';
import { parseSigningKeysText, type PrivateKeyEntry } from '../../../shared/keys/parse-key-file.ts';

const DEV_KEY_ALGORITHM = 'RS256';

/**
 * Development keys: generated once, kept in the data directory (0600) and reused on every start,
 * so the JWKS an AS has cached stays valid across restarts. RS256 because every common AS
 * accepts it for `private_key_jwt` and for JWT assertions.
 */
export async function readOrCreateDevSigningKeys(file: string, logger: Logger): Promise<PrivateKeyEntry[]> {
  const existing = await readIfPresent(file);
  if (existing !== null) {
    await tightenPermissions(file, logger);
    return parseSigningKeysText(existing);
  }
  const { privateKey } = await generateKeyPair(DEV_KEY_ALGORITHM, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const document = { keys: [{ ...jwk, kid, alg: DEV_KEY_ALGORITHM, use: 'sig' }] };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another instance sharing the data directory won the race: use its key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseSigningKeysText(await readFile(file, 'utf8'));
  }
  logger.warn({ file, kid }, 'generated a development signing key for the bot assertions (set ELEVATE_SIGNING_KEYS_FILE in production)');
  return parseSigningKeysText(JSON.stringify(document));
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function tightenPermissions(file: string, logger: Logger): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o077) === 0) return;
  await chmod(file, 0o600);
  logger.warn({ file }, 'development signing key file was readable by others; permissions reset to 0600');
}
