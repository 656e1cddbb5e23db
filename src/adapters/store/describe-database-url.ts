/**
 * Where a PostgreSQL URL points, for logs and messages: scheme, user, host, port and database,
 * never the password or the query string (which may carry `password=` or `sslpassword=`).
 */
export function describeDatabaseUrl(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return 'PostgreSQL (the URL could not be parsed)';
  }
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  const port = url.port ? `:${url.port}` : '';
  return `${url.protocol}//${user}${url.hostname}${port}${url.pathname}`;
}
