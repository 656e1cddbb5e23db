import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './loopback-server.ts';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** What an endpoint does with the next requests. */
export type Behaviour =
  | { kind: 'respond'; status: number; body: string; headers?: Record<string, string> }
  /** Reads the request and never answers: for client timeouts. */
  | { kind: 'hang' };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour => ({
  kind: 'respond',
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

export interface MisbehavingAuthorizationServer {
  readonly issuer: string;
  /** What the token, revocation and introspection endpoints do; change it between calls. */
  behaviour: { token: Behaviour; revocation: Behaviour; introspection: Behaviour };
  /** Every request to an OAuth endpoint, in order: `POST /token` with its form body. */
  readonly requests: Array<{ path: string; body: URLSearchParams; authorization: string | undefined }>;
  close(): Promise<void>;
}

export interface MetadataOptions {
  /** Where the metadata is served. Default: OpenID discovery. */
  discovery?: 'openid' | 'rfc8414';
  grantTypes?: string[];
  revocation?: boolean;
  introspection?: boolean;
}

/**
 * A real HTTP authorization server on loopback that serves correct metadata and then behaves at
 * its endpoints however the test says: errors, rate limits, garbage, silence.
 */
export async function startMisbehavingAuthorizationServer(options: MetadataOptions = {}): Promise<MisbehavingAuthorizationServer> {
  const requests: MisbehavingAuthorizationServer['requests'] = [];
  const state = {
    behaviour: {
      token: json(200, { access_token: 'at-from-misbehaving-as', token_type: 'Bearer', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', expires_in: 300 }),
      revocation: { kind: 'respond', status: 200, body: '' } as Behaviour,
      introspection: json(200, { active: false }),
    },
  };
  let issuer = '';
  const metadata = () => ({
    issuer,
    token_endpoint: `${issuer}/token`,
    ...(options.revocation === false ? {} : { revocation_endpoint: `${issuer}/revoke` }),
    ...(options.introspection === false ? {} : { introspection_endpoint: `${issuer}/introspect` }),
    grant_types_supported: options.grantTypes ?? ['client_credentials', TOKEN_EXCHANGE],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
  });
  const discoveryPath = options.discovery === 'rfc8414' ? '/.well-known/oauth-authorization-server/as' : '/as/.well-known/openid-configuration';

  const loopback = await listenOnLoopback((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method === 'GET' && req.url === discoveryPath) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadata()));
        return;
      }
      const endpoint = ({ '/as/token': 'token', '/as/revoke': 'revocation', '/as/introspect': 'introspection' } as const)[req.url ?? ''];
      if (req.method !== 'POST' || endpoint === undefined) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
        return;
      }
      requests.push({ path: req.url ?? '', body: new URLSearchParams(body), authorization: req.headers.authorization });
      const behaviour = state.behaviour[endpoint];
      if (behaviour.kind === 'hang') return;
      res.writeHead(behaviour.status, behaviour.headers ?? {}).end(behaviour.body);
    })();
  });
  issuer = `${loopback.origin}/as`;
  return {
    issuer,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(value) {
      state.behaviour = value;
    },
    requests,
    close: loopback.close,
  };
}
