/** The dashboard's own pages, where a sign-in may return to. */
const RETURNABLE = /^\/(?:access|review|audit|operations)(?:\/[A-Za-z0-9_-]+)*$/;

/**
 * Where to go after sign-in, from a `return_to` the browser sent: a path of this dashboard (with
 * its query), or `/access`. Anything else — another origin, `//host`, `/\host`, a scheme, an
 * encoded trick — is replaced, never followed: no open redirect through the sign-in.
 */
export function safeReturnTo(value: string | null | undefined): `/${string}` {
  if (typeof value !== 'string' || value.length > 512 || !value.startsWith('/')) return '/access';
  let url: URL;
  try {
    url = new URL(value, 'http://elevate.invalid');
  } catch {
    return '/access';
  }
  if (url.origin !== 'http://elevate.invalid' || !RETURNABLE.test(url.pathname)) return '/access';
  return `${url.pathname}${url.search}` as `/${string}`;
}
