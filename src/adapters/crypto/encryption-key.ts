import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';

export const DEV_KEY_FILE = 'token-encryption.key';

/**
 * Returns the keys that seal tokens at rest: the configured ones, or — in development only — a
 * key generated once into the data directory (mode 0600) with a warning, so restarts can still
 * open what earlier runs sealed.
 */
export function loadEncryptionKeys(input: { configured: Buffer[] | null; dataDir: string; logger: Logger }): Buffer[] {
  if (input.configured && input.configured.length > 0) return input.configured;
  const path = join(input.dataDir, DEV_KEY_FILE);
  if (existsSync(path)) {
    input.logger.warn({ path }, 'using the development token-encryption key from the data directory; set ELEVATE_ENCRYPTION_KEY in production');
    return [Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')];
  }
  mkdirSync(input.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  input.logger.warn({ path }, 'generated a development token-encryption key in the data directory; set ELEVATE_ENCRYPTION_KEY in production');
  return [key];
}
