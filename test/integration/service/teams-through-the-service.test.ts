import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../../src/main.ts';
import { startFakeBotFramework, teamsEnvFor, type FakeBotFramework } from '../../fakes/teams/fake-bot-framework.ts';
import { TeamsSender, teamsUser } from '../../fakes/teams/teams-sender.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { LogCapture } from '../../support/log-capture.ts';

/** Teams as `npm start` wires it: botbuilder's CloudAdapter at /api/messages of the one server. */
describe('Teams through the running service', () => {
  let service: RunningService | undefined;
  let bf: FakeBotFramework | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await service?.stop();
    await bf?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is on when configured, refuses an unauthenticated activity with 401, answers an authenticated one and stores its conversation', async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-teams-service-'));
    bf = await startFakeBotFramework();
    const base = await loopbackServiceEnv(dir);
    const logs = new LogCapture();
    service = await startService(
      {
        ...base,
        ...teamsEnvFor(bf),
      },
      { logDestination: logs },
    );
    expect(logs.messages().join('\n')).toMatch(/teams: on/);
    const sender = new TeamsSender(`${service.url}/api/messages`, bf);
    const alice = teamsUser('alice');

    const forged = await sender.message(alice, 'help', { authorization: null });
    expect(forged.status).toBe(401);
    expect(bf.calls).toEqual([]);

    const help = await sender.message(alice, 'help');
    expect(help.status).toBe(200);
    expect(bf.sentTo(`a:1:${alice.id}`).length).toBeGreaterThan(0);
    // The 1:1 conversation is remembered in the database, so a restarted instance can still reach alice.
    expect(await service.deps.store.getConversationReference('teams', 'personal', alice.aadObjectId)).toMatchObject({
      reference: expect.objectContaining({ serviceUrl: bf.serviceUrl }),
    });
  });
});
