import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_INPUTS, VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { aScope } from '../../support/builders.ts';
import { cardOf, cardText, startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

type CardAnswer = { statusCode: number; type: string; value: Record<string, unknown> };

/** The `value`s of the scope choices on a request form card. */
function scopeChoices(card: Record<string, unknown>): string[] {
  const input = (card.body as { id?: string; choices?: { value: string }[] }[]).find((element) => element.id === REQUEST_INPUTS.scope);
  return input?.choices?.map((choice) => choice.value) ?? [];
}

describe('the request form in Teams', () => {
  it('lists only the scopes the person may request, also when it comes back after a mistake, and then makes the request', async () => {
    world = await startTeamsWorld();
    await world.store.transaction((tx) => tx.putScope(aScope({ name: 'secret-scope', requesters: ['bob'], approvers: ['carol'] })));

    await world.say('alice', 'elevate');
    const form = cardOf(world.personalActivities('alice').at(-1)!);
    expect(scopeChoices(form)).toEqual(['prod-db-admin']);

    const tooLong = (await world.click('alice', { channelId: null }, VERBS.request, { [REQUEST_INPUTS.scope]: 'prod-db-admin', [REQUEST_INPUTS.duration]: '9h', [REQUEST_INPUTS.reason]: 'INC-5 from the form' })).body as CardAnswer;
    expect(tooLong.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(tooLong.value)).toMatch(/9h is longer than prod-db-admin allows; ask for 4h or less/);
    expect(scopeChoices(tooLong.value)).toEqual(['prod-db-admin']);
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);

    const ok = (await world.click('alice', { channelId: null }, VERBS.request, { [REQUEST_INPUTS.scope]: 'prod-db-admin', [REQUEST_INPUTS.duration]: '45m', [REQUEST_INPUTS.reason]: 'INC-5 from the form' })).body as CardAnswer;
    expect(cardText(ok.value)).toMatch(/sent to the reviewers/);
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    expect(request).toMatchObject({ scopeName: 'prod-db-admin', durationSec: 2700, reason: 'INC-5 from the form', source: 'teams' });
  });
});
