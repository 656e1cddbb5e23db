import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';

/**
 * Development only (production refuses to start without the variable): a 32-byte key generated
 * once into the data directory (mode 0600) and read from there on later runs, with a warning
 * each time, so restarts can still open what earlier runs wrote.
 */
export function loadOrGenerateDevelopmentKey(input: { dataDir: string; file: string; variable: string; purpose: string; logger: Logger }): Buffer {
  const path = join(input.dataDir, input.file);
  if (existsSync(path)) {
    input.logger.warn({ path }, `using the development ${input.purpose} key from the data directory; set ${input.variable} in production`);
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  }
  mkdirSync(input.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  input.logger.warn({ path }, `generated a development ${input.purpose} key in the data directory; set ${input.variable} in production`);
  return key;
}
