import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** What a reader sees: `<!date^…|fallback>` read as its fallback. */
const asRead = (mrkdwn: string) => mrkdwn.replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1');

/** The state the notification text ends with, which the blocks must say too. */
function stateOfText(text: string): string {
  const at = text.indexOf(' — ');
  if (at < 0) throw new Error(`no state in the message text: ${text}`);
  return text.slice(at + ' — '.length);
}

async function expectTextToMatchBlocks(w: SlackWorld, requestId: string, state: RegExp): Promise<void> {
  const message = await w.approvalMessage(requestId);
  expect(message.text).toMatch(state);
  expect(asRead(textOf(message.blocks))).toContain(stateOfText(message.text));
}

describe('the notification text of the approval message', () => {
  it('says the state its blocks say, as the request is approved and its grant revoked', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-8 hotfix');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await expectTextToMatchBlocks(world, request.id, /^Alice asks for prod-db-admin for 1h — .*Waiting for 1 more approval/);

    await world.click('bob', ACTIONS.approve, request.id);
    await expectTextToMatchBlocks(world, request.id, /Grant active/);

    const grant = (await world.store.getGrantByRequest(request.id))!;
    await world.click('carol', ACTIONS.revoke, grant.id);
    expect((await world.store.getGrant(grant.id))?.status).toBe('revoked');
    await expectTextToMatchBlocks(world, request.id, /Revoked.*an approver revoked it/);
    expect((await world.approvalMessage(request.id)).text).not.toMatch(/approved$/);
  });
});
