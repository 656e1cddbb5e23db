import { describe, expect, it } from 'vitest';
import { renderApprovalMessage } from '../../../src/adapters/slack/render/approval-message.ts';
import { renderApprovalCard, approvalSummary } from '../../../src/adapters/teams/render/approval-card.ts';
import { cardActivity } from '../../../src/adapters/teams/teams-chat-platform.ts';
import { buildApprovalView } from '../../../src/app/chat/build-request-view.ts';
import { MAX_HOLDERS_NAMED } from '../../../src/app/chat/decision-context.ts';
import { decisionContextLines } from '../../../src/app/chat/phrases/decision-context-phrase.ts';
import type { ElevationRequest } from '../../../src/domain/request.ts';
import type { Store } from '../../../src/ports/store.ts';
import { blockErrors } from '../../fakes/slack/block-limits.ts';
import { MAX_ACTIVITY_BYTES } from '../../fakes/teams/fake-bot-framework.ts';
import { textOf } from '../../integration/slack/slack-harness.ts';
import { aGrant, aPrincipal, aRequest, at, T0 } from '../../support/builders.ts';
import { coreHarness } from '../../support/core-harness.ts';

const DAY = 86_400;

async function put(store: Store, ...requests: ElevationRequest[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const request of requests) await tx.insertRequest(request);
  });
}

/** An active grant of the scope held by `holder` until `endsAt`. */
async function holding(store: Store, holder: string, endsAt: Date, name = holder): Promise<void> {
  const request = aRequest({ requesterId: holder, status: 'approved', createdAt: at(-7200), decidedAt: at(-7100) });
  await store.transaction(async (tx) => {
    if (!(await tx.getPrincipal(holder))) await tx.putPrincipal(aPrincipal({ id: holder, displayName: name }));
    await tx.insertRequest(request);
    await tx.insertGrant(aGrant({ requestId: request.id, startsAt: at(-7000), endsAt }));
  });
}

describe('the context an approval message shows', () => {
  it('says a first request, never seen before, and nobody else holding the scope', async () => {
    const h = await coreHarness();
    const request = aRequest({ createdAt: T0 });
    await put(h.store, request);
    const { context } = await buildApprovalView(h.store, request.id, T0);
    expect(context).toEqual({
      firstRequestForScope: true,
      requestsLast30Days: 0,
      daysSinceLastSeen: null,
      usualHours: null,
      requesterHoldsUntil: null,
      otherHolders: { shown: [], total: 0 },
      extendsGrant: null,
    });
  });

  it('counts earlier requests for this scope in the 30 days before the request, and none after it', async () => {
    const h = await coreHarness();
    const request = aRequest({ createdAt: T0, requesterLastSeenAt: at(-3 * DAY - 60) });
    await put(
      h.store,
      aRequest({ createdAt: at(-40 * DAY), status: 'expired' }),
      aRequest({ createdAt: at(-10 * DAY), status: 'denied' }),
      aRequest({ createdAt: at(-3 * DAY - 60), status: 'approved' }),
      aRequest({ createdAt: at(-DAY), scopeName: 'other-scope', status: 'expired' }),
      aRequest({ createdAt: at(-DAY), requesterId: 'dave', status: 'expired' }),
      request,
      aRequest({ createdAt: at(60) }),
    );
    const { context } = await buildApprovalView(h.store, request.id, T0);
    expect(context).toMatchObject({ firstRequestForScope: false, requestsLast30Days: 2, daysSinceLastSeen: 3 });
  });

  it('flags a request made outside the scope’s usual hours, and derives nothing when it has none', async () => {
    const usual = { start: '08:00', end: '18:00' };
    const h = await coreHarness({ scope: { policy: { autoApprove: false, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null, usualHoursUtc: usual } } });
    const night = aRequest({ createdAt: new Date('2026-03-02T03:12:00Z') });
    const day = aRequest({ createdAt: new Date('2026-03-02T11:00:00Z') });
    await put(h.store, night, day);
    expect((await buildApprovalView(h.store, night.id, T0)).context?.usualHours).toEqual({ ...usual, outside: true });
    expect((await buildApprovalView(h.store, day.id, T0)).context?.usualHours).toEqual({ ...usual, outside: false });
  });

  it('names who else holds the scope now, latest end first, and whether the requester already does', async () => {
    const h = await coreHarness();
    await holding(h.store, 'bob', at(1800));
    await holding(h.store, 'carol', at(3600));
    await holding(h.store, 'alice', at(900));
    await holding(h.store, 'dave', at(-60)); // ended, not yet revoked: no longer holds it
    const request = aRequest({ createdAt: T0 });
    await put(h.store, request);
    const { context } = await buildApprovalView(h.store, request.id, T0);
    expect(context?.otherHolders).toEqual({
      shown: [
        { principalId: 'carol', displayName: 'Carol', endsAt: at(3600) },
        { principalId: 'bob', displayName: 'Bob', endsAt: at(1800) },
      ],
      total: 2,
    });
    expect(context?.requesterHoldsUntil).toEqual(at(900));
  });

  it('is left out once the request is decided', async () => {
    const h = await coreHarness();
    const request = aRequest({ status: 'denied', decidedAt: at(60) });
    await put(h.store, request);
    expect((await buildApprovalView(h.store, request.id, T0)).context).toBeNull();
  });

  it('stays within Slack’s block limits and Teams’ message size with 200 holders of long names: the first few, then "and N more"', async () => {
    const h = await coreHarness();
    for (let i = 0; i < 200; i += 1) await holding(h.store, `holder-${String(i).padStart(3, '0')}`, at(600 + i), `${'Holder with a very long display name '.repeat(5)}${i}`.slice(0, 200));
    const request = aRequest({ createdAt: T0, reason: 'R'.repeat(500), requesterLastSeenAt: at(-90 * DAY) });
    await put(h.store, request);
    const view = await buildApprovalView(h.store, request.id, T0);
    expect(view.context?.otherHolders.total).toBe(200);
    expect(view.context?.otherHolders.shown).toHaveLength(MAX_HOLDERS_NAMED);

    const slack = renderApprovalMessage(view);
    expect(blockErrors(slack.blocks, 50)).toEqual([]);
    expect(textOf(slack.blocks)).toContain(`and ${200 - MAX_HOLDERS_NAMED} more.`);
    expect(textOf(slack.blocks)).toContain('Last seen 90 days before this request');

    const teams = JSON.stringify(cardActivity(renderApprovalCard(view), approvalSummary(view)));
    expect(Buffer.byteLength(teams)).toBeLessThan(MAX_ACTIVITY_BYTES);
    expect(teams).toContain(`and ${200 - MAX_HOLDERS_NAMED} more.`);
  });
});

describe('the wording of the context', () => {
  const base = { firstRequestForScope: false, requestsLast30Days: 1, daysSinceLastSeen: 0, usualHours: null, requesterHoldsUntil: null, otherHolders: { shown: [], total: 0 }, extendsGrant: null };
  const plain = (context: typeof base) => decisionContextLines(context).map((line) => line.map((p) => ('text' in p ? p.text : p.kind === 'date' ? p.at.toISOString() : '')).join(''));

  it('says each fact in one line', () => {
    expect(plain(base)).toEqual(['1 earlier request by this person for this scope in the last 30 days.', 'Last seen less than a day before this request.', 'Nobody else holds this scope right now.']);
  });

  it('leads with the original grant of an extension', () => {
    const lines = plain({ ...base, extendsGrant: { grantId: 'g-1', endsAt: T0, totalSec: 5400 } } as never);
    expect(lines[0]).toBe(`Extends grant g-1, which ends ${T0.toISOString()}; the total would be 1h30m.`);
  });
});
