import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The development AS's files of secrets in the data directory (client secrets, TOTP secrets):
 * read with their permissions tightened to 0600 if someone loosened them, written whole beside
 * the file and renamed over it, so a reader (the AS, `npm run dev:otp`, a test) never sees half
 * a file.
 */

/** The file's text, or null when it does not exist. `loosened` is called when it had to chmod. */
export async function readPrivateFile(file: string, loosened: () => void): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    await chmod(file, 0o600);
    loosened();
  }
  return text;
}

export async function writePrivateFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Runs updates one at a time, so two lookups in one process never race on one file. */
export class SerialQueue {
  private queue: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
