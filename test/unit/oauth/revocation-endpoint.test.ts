import { describe, expect, it } from 'vitest';
import { revocationEndpoint } from '../../../src/adapters/oauth/client/revoke-token.ts';
import { asHttpTransport } from '../../../src/adapters/oauth/client/as-http-transport.ts';

const metadata = (revocation_endpoint: string) => ({ issuer: 'https://as.example', revocation_endpoint });
const config = (allowInsecureHttp: boolean) => ({ clientId: 'elevate', timeoutMs: 5000, allowInsecureHttp });
const noAuth = async () => ({ form: {}, authorization: null });

describe('the revocation endpoint', () => {
  it('must use https: a token must never be sent in the clear', () => {
    expect(() => revocationEndpoint(metadata('http://as.example/revoke'), config(false), noAuth, asHttpTransport())).toThrow(
      expect.objectContaining({ code: 'config_invalid', message: expect.stringContaining('revocation_endpoint (http://as.example/revoke) must use https') }),
    );
  });

  it('may use http only when the configuration allows it (the development AS on loopback)', () => {
    expect(revocationEndpoint(metadata('http://127.0.0.1:3000/oauth/token/revocation'), config(true), noAuth, asHttpTransport()).url.href).toBe('http://127.0.0.1:3000/oauth/token/revocation');
  });

  it('is refused with any other scheme, even when http is allowed', () => {
    expect(() => revocationEndpoint(metadata('file:///etc/passwd'), config(true), noAuth, asHttpTransport())).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });
});
