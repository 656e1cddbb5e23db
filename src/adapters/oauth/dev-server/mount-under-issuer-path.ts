import type { IncomingMessage, ServerResponse } from 'node:http';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves oidc-provider under the path of its issuer (e.g. `/oauth`) on someone else's server.
 * oidc-provider routes on `req.url` relative to its mount point and rebuilds absolute endpoint
 * URLs from `req.originalUrl`, the way connect/express mounting leaves them; its documentation
 * does the same rewrite by hand for hapi and NestJS. Requests outside the path get a 404.
 */
export function mountUnderIssuerPath(issuer: string, callback: (req: IncomingMessage, res: ServerResponse) => unknown): NodeHandler {
  const prefix = new URL(issuer).pathname.replace(/\/+$/, '');
  return (req, res) => {
    const url = req.url ?? '/';
    const inside = prefix === '' || url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
    if (!inside) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not_found' }));
      return;
    }
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    const rest = url.slice(prefix.length);
    req.url = rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
    void callback(req, res);
  };
}
