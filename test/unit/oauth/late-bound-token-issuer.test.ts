import { describe, expect, it } from 'vitest';
import { LateBoundTokenIssuer } from '../../../src/adapters/oauth/late-bound-token-issuer.ts';
import { FakeTokenIssuer } from '../../support/fake-token-issuer.ts';

describe('LateBoundTokenIssuer', () => {
  it('holds a call made before the issuer is bound and completes it once it is', async () => {
    const late = new LateBoundTokenIssuer();
    const real = new FakeTokenIssuer();
    const pending = late.introspect('nothing');
    late.bind(real);
    expect(await pending).toEqual({ active: false });
    await late.revoke('t');
    expect(real.revoked).toEqual(['t']);
  });

  it('fails as retryable when no issuer is bound in time', async () => {
    const late = new LateBoundTokenIssuer(1);
    await expect(late.revoke('t')).rejects.toMatchObject({ code: 'issuer_unavailable', retryable: true });
  });
});
