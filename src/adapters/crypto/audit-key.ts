import { auditKeyFromSecret, type AuditKey } from '../../domain/audit.ts';
import type { Logger } from '../../logging/logger.ts';
import { loadOrGenerateDevelopmentKey } from './development-key.ts';

export const DEV_AUDIT_KEY_FILE = 'audit-chain.key';

/**
 * Returns the keys of the audit chain, newest first: the newest chains new records, all of them
 * verify old ones. Configured keys (ELEVATE_AUDIT_KEY) or, in development only, a key generated
 * once into the data directory.
 */
export function loadAuditKeys(input: { configured: Buffer[] | null; dataDir: string; logger: Logger }): AuditKey[] {
  if (input.configured && input.configured.length > 0) return input.configured.map(auditKeyFromSecret);
  const secret = loadOrGenerateDevelopmentKey({ dataDir: input.dataDir, file: DEV_AUDIT_KEY_FILE, variable: 'ELEVATE_AUDIT_KEY', purpose: 'audit-chain', logger: input.logger });
  return [auditKeyFromSecret(secret)];
}
