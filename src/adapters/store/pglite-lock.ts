import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ElevateError } from '../../domain/errors.ts';

const LOCK_FILE = 'elevate.lock';

/** Directories this process holds; a lock file with our own pid is stale only if it is not here. */
const heldHere = new Set<string>();

/**
 * Claims a PGlite data directory for this process. PGlite is PostgreSQL in a single process, with
 * no postmaster to stop a second process opening the same files, and two writers corrupt them
 * (e.g. `npm run db:migrate` while the server runs). A lock file holding the owner's pid is left
 * behind by a crash, so a lock whose process no longer exists is taken over.
 *
 * @returns a function that releases the lock.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  if (heldHere.has(file)) throw inUse(dir, process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldHere.add(file);
      return async () => {
        heldHere.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      // Our own pid here is a crashed earlier run (containers reuse pids): heldHere was checked.
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) throw inUse(dir, owner);
      await rm(file, { force: true });
    }
  }
  throw new ElevateError('store_unavailable', `Could not lock the embedded database in ${dir}.`, { details: { dataDir: dir } });
}

function inUse(dir: string, pid: number): ElevateError {
  return new ElevateError('store_unavailable', `The embedded database in ${dir} is in use by process ${pid}; stop it first (or, if that process is not Elevate, delete ${LOCK_FILE} there), or set DATABASE_URL to share a PostgreSQL database.`, {
    details: { dataDir: dir, pid },
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
