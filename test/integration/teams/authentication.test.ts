import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsUser } from '../../fakes/teams/teams-sender.ts';
import { startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld;
beforeAll(async () => {
  world = await startTeamsWorld();
});
afterAll(async () => world.close());

const attempts: [string, () => Promise<{ authorization?: string | null; token?: Parameters<TeamsWorld['bf']['signToken']>[0] }>][] = [
  ['no Authorization header', async () => ({ authorization: null })],
  ['a non-Bearer scheme', async () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
  ['a token that is not a JWT', async () => ({ authorization: 'Bearer not-a-jwt' })],
  ['a signature by a key the metadata does not publish', async () => ({ token: { foreignKey: true } })],
  ['an unknown key id', async () => ({ token: { kid: 'some-other-kid' } })],
  ['a tampered payload', async () => {
    const [h, p, s] = (await world.bf.signToken()).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    return { authorization: `Bearer ${h}.${Buffer.from(JSON.stringify({ ...claims, aud: 'x' })).toString('base64url')}.${s}` };
  }],
  ['the wrong issuer', async () => ({ token: { claims: { iss: 'https://evil.example' } } })],
  ['the wrong audience', async () => ({ token: { claims: { aud: 'another-bot-app-id' } } })],
  ['an expired token', async () => ({ token: { expiresInSec: -3600 } })],
  ['a serviceurl claim that does not match the activity', async () => ({ token: { serviceUrl: 'https://smba.evil.example/amer/' } })],
  ['alg none', async () => {
    const [, p] = (await world.bf.signToken()).split('.');
    return { authorization: `Bearer ${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.` };
  }],
];

describe('authentication of Bot Framework activities', () => {
  it.each(attempts)('answers 401 and touches nothing for %s', async (_name, make) => {
    const before = { audit: (await world.store.listAudit(0, 1000)).length, calls: world.bf.calls.length, requests: (await world.store.listRequests({})).length };
    const options = await make();
    const sent = await world.say('alice', 'elevate prod-db-admin 1h INC-1 attack', options);
    expect(sent.status).toBe(401);
    expect(sent.text).toBe('');
    expect((await world.store.listAudit(0, 1000)).length).toBe(before.audit);
    expect((await world.store.listRequests({})).length).toBe(before.requests);
    expect(world.bf.calls.length).toBe(before.calls);
    expect(await world.adapter.references.get('teams', 'personal', teamsUser('alice').aadObjectId)).toBeNull();
  });

  it('refuses an invoke with a bad token with 401 as well, before the card action runs', async () => {
    const sent = await world.sender.execute(teamsUser('bob'), { channelId: null }, 'elevate.approve', { requestId: 'r-1' }, { token: { foreignKey: true } });
    expect(sent.status).toBe(401);
  });

  it('logs the refusal without the token', async () => {
    const token = await world.bf.signToken({ expiresInSec: -3600 });
    await world.say('alice', 'list', { authorization: `Bearer ${token}` });
    expect(world.logs.messages()).toContain('refused a Bot Framework activity that failed authentication');
    expect(world.logs.text()).not.toContain(token);
  });

  it('accepts a correctly signed activity (the control case)', async () => {
    const sent = await world.say('alice', 'help');
    expect(sent.status).toBe(200);
    expect(await world.adapter.references.get('teams', 'personal', teamsUser('alice').aadObjectId)).not.toBeNull();
  });

  it('answers 405 to other methods and 400 to a body that is not an activity', async () => {
    expect((await fetch(world.endpoint)).status).toBe(405);
    const bad = await fetch(world.endpoint, { method: 'POST', headers: { authorization: `Bearer ${await world.bf.signToken()}` }, body: '{"hello":1}' });
    expect(bad.status).toBe(400);
  });
});
