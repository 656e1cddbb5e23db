import { describe, expect, it } from 'vitest';
import { DEV_LOGIN_ACR } from '../../../src/adapters/oauth/index.ts';
import { loginPolicy } from '../../../src/adapters/oauth/dev-server/interactions/login-policy.ts';

type CheckFn = (ctx: unknown) => boolean;

function check(reason: string): CheckFn {
  const found = (loginPolicy([DEV_LOGIN_ACR]).get('login').checks as unknown as Array<{ reason: string; check: CheckFn }>).find((candidate) => candidate.reason === reason);
  if (found === undefined) throw new Error(`no check ${reason}`);
  return found.check;
}

function ctx(oidc: { params?: Record<string, unknown>; accountId?: string; acr?: string; result?: unknown; deviceParams?: Record<string, unknown> }) {
  return {
    oidc: {
      params: oidc.params ?? {},
      session: { accountId: oidc.accountId },
      acr: oidc.acr,
      result: oidc.result,
      entities: oidc.deviceParams === undefined ? {} : { DeviceCode: { params: oidc.deviceParams } },
    },
  };
}

describe("the development AS's login policy", () => {
  it('asks for a login when acr_values names its level and the session did not reach it', () => {
    const acrValues = check('acr_values');
    expect(acrValues(ctx({ params: { acr_values: DEV_LOGIN_ACR }, accountId: 'alice', acr: '0' }))).toBe(true);
    expect(acrValues(ctx({ params: { acr_values: `urn:other ${DEV_LOGIN_ACR}` }, accountId: 'alice' }))).toBe(true);
  });

  it('does not ask again when the session has the level, the login just happened, or only unknown levels are asked for', () => {
    const acrValues = check('acr_values');
    expect(acrValues(ctx({ params: { acr_values: DEV_LOGIN_ACR }, accountId: 'alice', acr: DEV_LOGIN_ACR }))).toBe(false);
    expect(acrValues(ctx({ params: { acr_values: DEV_LOGIN_ACR }, accountId: 'alice', acr: '0', result: { login: { accountId: 'alice' } } }))).toBe(false);
    expect(acrValues(ctx({ params: { acr_values: 'urn:mace:incommon:iap:silver' }, accountId: 'alice', acr: '0' }))).toBe(false);
    expect(acrValues(ctx({ params: {}, accountId: 'alice', acr: '0' }))).toBe(false);
  });

  it("honours the device code's max_age=0 (stored by oidc-provider as prompt=login) until the person has logged in", () => {
    const deviceMaxAgeZero = check('device_max_age_zero');
    expect(deviceMaxAgeZero(ctx({ accountId: 'alice', deviceParams: { prompt: 'login' } }))).toBe(true);
    expect(deviceMaxAgeZero(ctx({ accountId: 'alice', deviceParams: { prompt: 'login' }, result: { login: { accountId: 'alice' } } }))).toBe(false);
    expect(deviceMaxAgeZero(ctx({ accountId: 'alice', deviceParams: { max_age: '300' } }))).toBe(false);
    expect(deviceMaxAgeZero(ctx({ accountId: 'alice' }))).toBe(false);
  });
});
