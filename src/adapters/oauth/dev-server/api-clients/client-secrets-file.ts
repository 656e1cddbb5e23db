import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ElevateError } from '../../../../domain/errors.ts';
import type { Logger } from '../../../../logging/logger.ts';
import { readPrivateFile, SerialQueue, writePrivateFileAtomically } from '../private-file.ts';

export const CLIENT_SECRETS_FILE_NAME = 'dev-client-secrets.json';
/** 256 bits from the system's CSPRNG, as base64url (43 characters). */
const SECRET_BYTES = 32;

/**
 * The development AS's client secrets of service accounts, in `$ELEVATE_DATA_DIR/dev-client-secrets.json`
 * (`{ "<principal id>": "<secret>" }`, mode 0600): each generated the first time its principal is
 * seen and kept across restarts, so a service account's configured secret keeps working. Deleting
 * an entry rotates that secret at the next lookup. Entries of removed principals stay (inert: a
 * client exists only while its principal does), so re-adding one restores its secret.
 */
export class ClientSecretsFile {
  /** One update at a time in this process, so two lookups never generate two secrets for one id. */
  private readonly queue = new SerialQueue();

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  static inDataDir(dataDir: string, logger: Logger): ClientSecretsFile {
    return new ClientSecretsFile(join(dataDir, CLIENT_SECRETS_FILE_NAME), logger);
  }

  /** The secret of each id, generating and saving the ones the file does not have yet. */
  secretsFor(ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, string>> {
    return this.queue.run(() => this.update(ids));
  }

  private async update(ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, string>> {
    const secrets = await this.read();
    const missing = [...new Set(ids)].filter((id) => !Object.hasOwn(secrets, id));
    for (const id of missing) secrets[id] = randomBytes(SECRET_BYTES).toString('base64url');
    if (missing.length > 0) {
      await this.write(secrets);
      this.logger.warn({ file: this.file, client_ids: missing }, 'generated development client secrets for service accounts (read them from the file; never log them)');
    }
    return new Map(ids.map((id) => [id, secrets[id]!]));
  }

  private async read(): Promise<Record<string, string>> {
    const text = await readPrivateFile(this.file, () =>
      this.logger.warn({ file: this.file }, 'development client secrets file was readable by others; permissions reset to 0600'),
    );
    if (text === null) return Object.create(null) as Record<string, string>;
    return parseSecrets(text, this.file);
  }

  private write(secrets: Record<string, string>): Promise<void> {
    return writePrivateFileAtomically(this.file, `${JSON.stringify(secrets, null, 2)}\n`);
  }
}

function parseSecrets(text: string, file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const valid =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((secret) => typeof secret === 'string' && secret.length > 0);
  // The message names the file, never its content: it holds secrets.
  if (!valid) throw new ElevateError('config_invalid', `${file} must be a JSON object of client id to non-empty secret; fix it, or delete it to generate new secrets.`);
  return Object.assign(Object.create(null) as Record<string, string>, parsed);
}
