import type { Logger } from '../../logging/logger.ts';
import { loadOrGenerateDevelopmentKey } from './development-key.ts';

export const DEV_KEY_FILE = 'token-encryption.key';

/**
 * Returns the keys that seal tokens at rest: the configured ones, or — in development only — a
 * key generated once into the data directory (see {@link loadOrGenerateDevelopmentKey}).
 */
export function loadEncryptionKeys(input: { configured: Buffer[] | null; dataDir: string; logger: Logger }): Buffer[] {
  if (input.configured && input.configured.length > 0) return input.configured;
  return [loadOrGenerateDevelopmentKey({ dataDir: input.dataDir, file: DEV_KEY_FILE, variable: 'ELEVATE_ENCRYPTION_KEY', purpose: 'token-encryption', logger: input.logger })];
}
