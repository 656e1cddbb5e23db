import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../src/adapters/oauth/dev-server/scope-catalogue.ts';
import { TEST_SCOPES } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';

const DB = 'https://db.internal.example';
const required = { audienceRequired: true };

describe('what the development AS grants', () => {
  it('grants a scope that a definition names at the requested audience', () => {
    expect(resolveTarget(TEST_SCOPES, { scope: 'db:admin', audience: DB, resource: undefined }, required)).toEqual({ scope: 'db:admin', audience: DB });
  });

  it('grants scopes from several definitions that share the audience', () => {
    expect(resolveTarget(TEST_SCOPES, { scope: 'db:read db:admin db:read', audience: undefined, resource: DB }, required)).toEqual({ scope: 'db:read db:admin', audience: DB });
  });

  it('accepts the same audience given as both audience and resource', () => {
    expect(resolveTarget(TEST_SCOPES, { scope: 'db:list', audience: [DB], resource: DB }, required).audience).toBe(DB);
  });

  it.each([
    ['a scope defined only at another audience', { scope: 'k8s:admin', audience: DB, resource: undefined }, 'invalid_scope'],
    ['a scope nobody defined', { scope: 'db:drop', audience: DB, resource: undefined }, 'invalid_scope'],
    ['no scope', { scope: undefined, audience: DB, resource: undefined }, 'invalid_scope'],
    ['an unknown audience', { scope: 'db:admin', audience: 'https://evil.example', resource: undefined }, 'invalid_target'],
    ['two audiences', { scope: 'db:admin', audience: [DB, 'https://k8s.internal.example'], resource: undefined }, 'invalid_target'],
    ['no audience', { scope: 'db:admin', audience: undefined, resource: undefined }, 'invalid_target'],
  ])('refuses %s', (_name, requested, error) => {
    expect(() => resolveTarget(TEST_SCOPES, requested, required)).toThrow(expect.objectContaining({ error }));
  });

  it('lets client credentials go without an audience but not without a defined scope', () => {
    expect(resolveTarget(TEST_SCOPES, { scope: 'k8s:admin', audience: undefined, resource: undefined }, { audienceRequired: false })).toEqual({ scope: 'k8s:admin', audience: null });
    expect(() => resolveTarget(TEST_SCOPES, { scope: 'openid', audience: undefined, resource: undefined }, { audienceRequired: false })).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });
});
