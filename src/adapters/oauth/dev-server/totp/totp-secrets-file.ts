import { join } from 'node:path';
import { ElevateError } from '../../../../domain/errors.ts';
import type { Logger } from '../../../../logging/logger.ts';
import { readPrivateFile, SerialQueue, writePrivateFileAtomically } from '../private-file.ts';
import { newTotpSecret, totpStepOf } from './dev-totp.ts';
import { DEV_TOTP_SECRETS_FILE_NAME } from './totp-parameters.ts';

export { DEV_TOTP_SECRETS_FILE_NAME };

/** One person's second factor: the shared secret, and the last time step a code was accepted for. */
export interface DevTotpEntry {
  /** Base32, as authenticator apps take it. */
  readonly secret: string;
  /** RFC 6238 §5.2: a code of this step or an earlier one is never accepted again. */
  readonly lastStep: number | null;
}

export type CodeCheck = 'accepted' | 'wrong' | 'replayed';

type Stored = Record<string, { secret: string; last_step?: number }>;

/**
 * The development AS's TOTP secrets of people, in `$ELEVATE_DATA_DIR/dev-totp-secrets.json`
 * (`{ "<principal id>": { "secret": "<base32>", "last_step": <n> } }`, mode 0600, written whole
 * and renamed over): a secret is generated the first time its person needs one — on the login
 * page, or by `npm run dev:otp` — and kept across restarts, so an authenticator app keeps
 * working. The last accepted step is kept beside it, so a code cannot be used twice even across a
 * restart. Deleting an entry gives that person a new secret at the next need.
 *
 * Updates are serialised within a process; `npm run dev:otp` writes only when it creates a
 * missing secret, so two processes rarely write at once (development only).
 */
export class DevTotpSecretsFile {
  private readonly queue = new SerialQueue();

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  static inDataDir(dataDir: string, logger: Logger): DevTotpSecretsFile {
    return new DevTotpSecretsFile(join(dataDir, DEV_TOTP_SECRETS_FILE_NAME), logger);
  }

  /** The entry of each id, generating and saving secrets for the ones the file does not have yet. */
  entriesFor(ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, DevTotpEntry>> {
    return this.queue.run(async () => {
      const stored = await this.read();
      const missing = [...new Set(ids)].filter((id) => !Object.hasOwn(stored, id));
      for (const id of missing) stored[id] = { secret: newTotpSecret() };
      if (missing.length > 0) {
        await this.write(stored);
        this.logger.warn({ file: this.file, principals: missing }, 'generated development TOTP secrets (show a code with npm run dev:otp; never log them)');
      }
      return new Map(ids.map((id) => [id, entryOf(stored[id]!)]));
    });
  }

  async entryFor(id: string): Promise<DevTotpEntry> {
    return (await this.entriesFor([id])).get(id)!;
  }

  /**
   * Checks a code of `id` at `epochMs` and, when it is right and of a step newer than the last
   * accepted one, records its step, all in one turn of the queue (two submissions of one code
   * cannot both pass). A person without a secret yet has no right code.
   */
  checkCode(id: string, code: string, epochMs: number): Promise<CodeCheck> {
    return this.queue.run(async () => {
      const stored = await this.read();
      const entry = Object.hasOwn(stored, id) ? stored[id]! : undefined;
      if (entry === undefined) return 'wrong';
      const step = totpStepOf(entry.secret, code, epochMs);
      if (step === null) return 'wrong';
      if (entry.last_step !== undefined && step <= entry.last_step) return 'replayed';
      stored[id] = { ...entry, last_step: step };
      await this.write(stored);
      return 'accepted';
    });
  }

  private async read(): Promise<Stored> {
    const text = await readPrivateFile(this.file, () => this.logger.warn({ file: this.file }, 'development TOTP secrets file was readable by others; permissions reset to 0600'));
    return text === null ? (Object.create(null) as Stored) : parseTotpSecrets(text, this.file);
  }

  private write(stored: Stored): Promise<void> {
    return writePrivateFileAtomically(this.file, `${JSON.stringify(stored, null, 2)}\n`);
  }
}

function entryOf(stored: { secret: string; last_step?: number }): DevTotpEntry {
  return { secret: stored.secret, lastStep: stored.last_step ?? null };
}

/** The file's content, checked; the error names the file, never what is in it. */
export function parseTotpSecrets(text: string, file: string): Stored {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const valid =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every(
      (entry: unknown) =>
        entry !== null &&
        typeof entry === 'object' &&
        typeof (entry as { secret?: unknown }).secret === 'string' &&
        /^[A-Z2-7]{16,}=*$/.test((entry as { secret: string }).secret) &&
        ((entry as { last_step?: unknown }).last_step === undefined || Number.isSafeInteger((entry as { last_step?: unknown }).last_step)),
    );
  if (!valid) throw new ElevateError('config_invalid', `${file} must be a JSON object of principal id to { "secret": <base32>, "last_step": <integer> }; fix it, or delete it to generate new secrets.`);
  return Object.assign(Object.create(null) as Stored, parsed);
}
