import { isIP } from 'node:net';
import { CliError } from './cli-error.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';

export const DEFAULT_SERVER = 'http://localhost:3000';

/** True for `localhost`, 127.0.0.0/8 and ::1: the only hosts plain http is accepted for. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Checks a URL the CLI will send a token or a secret to: https, or plain http to a loopback
 * host only, so a token never crosses a network in clear text.
 */
export function checkTransport(url: URL, what: string, exitCode: ExitCode = EXIT.usage): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new CliError(
    exitCode,
    url.protocol === 'http:'
      ? `${what} ${url.origin} uses plain http: only https, or http to localhost, is allowed.`
      : `${what} ${url.origin} must be an https URL.`,
  );
}

/**
 * The Elevate server from `--server`, else `ELEVATE_URL`, else the local default; its
 * normalized form (no trailing slash, no query) is also the key of its cached login.
 */
export function resolveServer(option: string | undefined, env: Readonly<Record<string, string | undefined>>): URL {
  const text = option ?? (env.ELEVATE_URL || DEFAULT_SERVER);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(EXIT.usage, `--server / ELEVATE_URL "${text.slice(0, 100)}" is not a URL (for example https://elevate.example.com).`);
  }
  if (url.username || url.password) throw new CliError(EXIT.usage, '--server / ELEVATE_URL must not contain a user name or password.');
  checkTransport(url, 'The Elevate server');
  url.search = '';
  url.hash = '';
  return url;
}

/** The server as one string, the form it is cached and shown under. */
export function serverKey(server: URL): string {
  return `${server.origin}${server.pathname.replace(/\/+$/, '')}`;
}

/** A URL under the server, keeping a path prefix it may be mounted under. */
export function serverPath(server: URL, path: string): URL {
  return new URL(`${serverKey(server)}${path}`);
}
