import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../../../src/adapters/slack/index.ts';
import { ReplayGuard } from '../../../src/adapters/slack/http/replay-guard.ts';
import { FakeClock } from '../../support/fake-clock.ts';

/** Slack's published example (api.slack.com, "Verifying requests from Slack"). */
const EXAMPLE = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const at = (sec: number) => new Date(sec * 1000);

describe('verifySlackSignature', () => {
  it("accepts Slack's published example at its own time", () => {
    expect(verifySlackSignature({ ...EXAMPLE, now: at(1531420618) })).toEqual({ ok: true, timestampSec: 1531420618 });
    expect(signSlackRequest(EXAMPLE.signingSecret, EXAMPLE.timestamp, EXAMPLE.body)).toBe(EXAMPLE.signature);
  });

  it.each([
    ['five minutes later', 1531420618 + 300, true],
    ['five minutes and a second later', 1531420618 + 301, false],
    ['five minutes and a second earlier (clock skew)', 1531420618 - 301, false],
  ])('judges the age by the injected clock: %s', (_when, nowSec, ok) => {
    expect(verifySlackSignature({ ...EXAMPLE, now: at(nowSec) }).ok).toBe(ok);
  });

  it.each([
    ['a changed body', { body: `${EXAMPLE.body}&text=admin` }, 'signature_mismatch'],
    ['another secret', { signingSecret: 'another-secret' }, 'signature_mismatch'],
    ['a truncated signature', { signature: EXAMPLE.signature.slice(0, 20) }, 'signature_mismatch'],
    ['an unknown version', { signature: EXAMPLE.signature.replace('v0=', 'v1=') }, 'unknown_version'],
    ['no signature', { signature: undefined }, 'missing_headers'],
    ['no timestamp', { timestamp: undefined }, 'missing_headers'],
    ['a timestamp that is not a number', { timestamp: '1531420618.5' }, 'bad_timestamp'],
  ])('refuses %s', (_what, change, reason) => {
    expect(verifySlackSignature({ ...EXAMPLE, ...change, now: at(1531420618) })).toEqual({ ok: false, reason });
  });
});

describe('ReplayGuard', () => {
  it('accepts a signature once and refuses it again while its timestamp is fresh', () => {
    const clock = new FakeClock(at(1_000_000));
    const guard = new ReplayGuard(clock);
    expect(guard.accept('v0=a', 1_000_000)).toBe(true);
    expect(guard.accept('v0=a', 1_000_000)).toBe(false);
    expect(guard.accept('v0=b', 1_000_000)).toBe(true);
  });

  it('forgets signatures whose timestamps verification would refuse anyway', () => {
    const clock = new FakeClock(at(1_000_000));
    const guard = new ReplayGuard(clock);
    guard.accept('v0=a', 1_000_000);
    clock.advance(400);
    expect(guard.accept('v0=a', 1_000_000)).toBe(true);
  });

  it('keeps its memory bounded', () => {
    const guard = new ReplayGuard(new FakeClock(at(1_000_000)), 2);
    for (const s of ['v0=1', 'v0=2', 'v0=3']) guard.accept(s, 1_000_000);
    expect(guard.accept('v0=1', 1_000_000)).toBe(true);
    expect(guard.accept('v0=3', 1_000_000)).toBe(false);
  });
});
