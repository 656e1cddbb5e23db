/**
 * An RFC 7009 stand-in in a process of its own: it publishes metadata an Elevate can discover
 * (token exchange, revocation, private_key_jwt) and answers every revocation 200 at once, after
 * reading the whole request, so a benchmark measures what the sweeper and its store can do when
 * the authorization server costs nothing. The client authentication is sent as usual and counted
 * (a request without `client_assertion` is answered 401), not verified: checking a signature
 * would be the AS's cost this stand-in exists to leave out.
 *
 * Prints one JSON line `{"issuer":…,"origin":…}` when it listens, and exits when its stdin closes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/instant/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(metadata()));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const authenticated = form.get('client_assertion_type') !== null && (form.get('client_assertion') ?? '').split('.').length === 3;
      const body = authenticated ? '' : '{"error":"invalid_client"}';
      res.writeHead(authenticated ? 200 : 401, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer: issuer(), origin: origin() })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));

function origin(): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function issuer(): string {
  return `${origin()}/instant`;
}

function metadata(): Record<string, unknown> {
  return {
    issuer: issuer(),
    token_endpoint: `${origin()}/token`,
    revocation_endpoint: `${origin()}/revoke`,
    jwks_uri: `${origin()}/jwks`,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    revocation_endpoint_auth_methods_supported: ['private_key_jwt'],
  };
}
