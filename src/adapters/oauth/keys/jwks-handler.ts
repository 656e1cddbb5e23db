import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BotKeys } from './bot-keys.ts';

/**
 * `GET /.well-known/jwks.json`: the bot's public keys, so an AS can verify its assertions and its
 * `private_key_jwt` client authentication. Short cache lifetime so a rotation is seen quickly.
 */
export function createJwksHandler(keys: Pick<BotKeys, 'publicJwks'>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'method_not_allowed' }));
      return;
    }
    const body = JSON.stringify(keys.publicJwks());
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
