/**
 * A request path as it may be logged: the one-time ticket of a step-up link
 * (`/auth/step-up/<ticket>`) is a secret, so it is replaced; every other path is kept, cut to a
 * sane length.
 */
export function redactPath(path: string): string {
  return path.replace(/^(\/auth\/step-up\/)(?!callback$)[^/]+/, '$1[redacted]').slice(0, 200);
}
