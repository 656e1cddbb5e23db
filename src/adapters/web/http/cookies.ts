import type { IncomingMessage } from 'node:http';

export interface CookieAttributes {
  path: string;
  maxAgeSec: number;
  secure: boolean;
}

/** `Set-Cookie` for a cookie only this server reads: HttpOnly, SameSite=Lax, never a Domain. */
export function setCookie(name: string, value: string, attributes: CookieAttributes): string {
  return [`${name}=${value}`, `Path=${attributes.path}`, `Max-Age=${attributes.maxAgeSec}`, 'HttpOnly', 'SameSite=Lax', ...(attributes.secure ? ['Secure'] : [])].join('; ');
}

/** `Set-Cookie` that removes the cookie (same name and path). */
export function clearCookie(name: string, attributes: Omit<CookieAttributes, 'maxAgeSec'>): string {
  return setCookie(name, '', { ...attributes, maxAgeSec: 0 });
}

/**
 * The value of a cookie the request carries, or null. A name sent twice (a cookie planted for a
 * parent path or domain beside ours) is refused rather than guessed between.
 */
export function readCookie(req: IncomingMessage, name: string): string | null {
  const values = (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
  return values.length === 1 && values[0] !== '' ? values[0]! : null;
}
