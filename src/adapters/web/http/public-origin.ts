/**
 * Whether cookies of this public URL must be `Secure`: always, except for plain http on a
 * loopback address (a laptop), where browsers would not keep a Secure cookie set over http.
 */
export function needsSecureCookies(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  if (url.protocol === 'https:') return true;
  return !isLoopback(url.hostname);
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
