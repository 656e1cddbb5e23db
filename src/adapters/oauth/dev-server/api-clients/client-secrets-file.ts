import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ElevateError } from '../../../../domain/errors.ts';
import type { Logger } from '../../../../logging/logger.ts';

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
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  static inDataDir(dataDir: string, logger: Logger): ClientSecretsFile {
    return new ClientSecretsFile(join(dataDir, CLIENT_SECRETS_FILE_NAME), logger);
  }

  /** The secret of each id, generating and saving the ones the file does not have yet. */
  secretsFor(ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, string>> {
    const next = this.queue.then(() => this.update(ids));
    this.queue = next.catch(() => undefined);
    return next;
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
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Record<string, string>;
      throw error;
    }
    await this.tightenPermissions();
    return parseSecrets(text, this.file);
  }

  /** Written beside the file and renamed over it, so a reader never sees half a file. */
  private async write(secrets: Record<string, string>): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, this.file);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  private async tightenPermissions(): Promise<void> {
    const { mode } = await stat(this.file);
    if ((mode & 0o077) === 0) return;
    await chmod(this.file, 0o600);
    this.logger.warn({ file: this.file }, 'development client secrets file was readable by others; permissions reset to 0600');
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
