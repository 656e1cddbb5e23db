import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

/** How a cached login was obtained, which decides how it is renewed when it expires. */
export type LoginMethod = 'device' | 'client_credentials';

const cachedLoginSchema = z.object({
  server: z.string(),
  method: z.enum(['device', 'client_credentials']),
  issuer: z.string(),
  clientId: z.string(),
  resource: z.string(),
  /** The principal the login is for, when the AS said (the ID token's `sub`, or the client id). */
  subject: z.string().optional(),
  accessToken: z.string().min(1),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  refreshToken: z.string().min(1).optional(),
});

export type CachedLogin = z.infer<typeof cachedLoginSchema>;

/**
 * The CLI's own directory: `ELEVATE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/elevate`, else
 * `~/.config/elevate` (a relative `XDG_CONFIG_HOME` is ignored, as the XDG spec says).
 */
export function configDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.ELEVATE_CONFIG_DIR) return env.ELEVATE_CONFIG_DIR;
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'elevate');
}

/**
 * Logins cached one file per server under `<config dir>/logins/`, directories 0700 and files
 * 0600 (written to a temporary file first and renamed, so a reader never sees half a file).
 * The files hold access and refresh tokens: nothing else in the CLI reads or prints them.
 */
export class TokenCache {
  private readonly dir: string;

  constructor(configDirectory: string) {
    this.dir = join(configDirectory, 'logins');
  }

  /** The file a server's login is kept in (the server URL, percent-encoded, is the name). */
  fileFor(server: string): string {
    return join(this.dir, `${encodeURIComponent(server)}.json`);
  }

  /** The cached login for a server; undefined when there is none or the file is unreadable. */
  read(server: string): CachedLogin | undefined {
    const file = this.fileFor(server);
    let text: string;
    try {
      // Tighten a file someone loosened by hand before reading secrets out of it.
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = cachedLoginSchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.server === server ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  write(login: CachedLogin): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode applies only to directories it creates, through the umask: set it on the
    // directory that holds the files. (The config directory above it may be one the user chose
    // and shares with other things; it is created 0700 but never changed.)
    chmodSync(this.dir, 0o700);
    const file = this.fileFor(login.server);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(cachedLoginSchema.parse(login))}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  }

  /** Forgets a server's login; true when there was one. */
  delete(server: string): boolean {
    const file = this.fileFor(server);
    try {
      statSync(file);
    } catch {
      return false;
    }
    rmSync(file, { force: true });
    return true;
  }
}
