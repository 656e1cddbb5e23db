import type { IntrospectionResponse, TokenEndpointResponse } from 'openid-client';
import { describe, expect, it } from 'vitest';
import { readIntrospectionResponse } from '../../../src/adapters/oauth/client/read-introspection-response.ts';
import { readTokenExchangeResponse } from '../../../src/adapters/oauth/client/read-token-exchange-response.ts';
import { OAuthError } from '../../../src/adapters/oauth/index.ts';

const tokenResponse = (fields: Record<string, unknown>) => ({ access_token: 'at', token_type: 'bearer', ...fields }) as unknown as TokenEndpointResponse;

describe('reading a token exchange response', () => {
  it('maps the RFC 8693 members and spells token types the usual way', () => {
    expect(readTokenExchangeResponse(tokenResponse({ token_type: 'n_a', issued_token_type: 'urn:ietf:params:oauth:token-type:jwt', expires_in: 3600, scope: 'a b' }))).toEqual({
      token: { accessToken: 'at', tokenType: 'N_A', issuedTokenType: 'urn:ietf:params:oauth:token-type:jwt', expiresInSec: 3600, scope: 'a b' },
      refreshToken: null,
    });
  });

  it('takes a missing issued_token_type and expires_in as an access token of unknown lifetime', () => {
    expect(readTokenExchangeResponse(tokenResponse({})).token).toMatchObject({ tokenType: 'Bearer', issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token', expiresInSec: null, scope: null });
  });

  it('hands back a refresh token separately so it can be discarded', () => {
    expect(readTokenExchangeResponse(tokenResponse({ refresh_token: 'rt' })).refreshToken).toBe('rt');
  });

  it('refuses an issued token that is not an access token', () => {
    expect(() => readTokenExchangeResponse(tokenResponse({ issued_token_type: 'urn:ietf:params:oauth:token-type:id_token' }))).toThrow(OAuthError);
  });
});

describe('reading an introspection response', () => {
  it('maps registered members and passes other claims through', () => {
    const response = { active: true, sub: 'alice', scope: 'db:admin', aud: 'https://db', client_id: 'bot', exp: 1700, act: { sub: 'bot' }, approvers: ['bob'], iss: 'https://as' } as IntrospectionResponse;
    expect(readIntrospectionResponse(response)).toEqual({ active: true, sub: 'alice', scope: 'db:admin', aud: 'https://db', clientId: 'bot', exp: 1700, act: { sub: 'bot' }, approvers: ['bob'], iss: 'https://as' });
  });

  it('reports nothing but inactivity for an inactive token', () => {
    expect(readIntrospectionResponse({ active: false, sub: 'stale' } as IntrospectionResponse)).toEqual({ active: false });
  });
});
