import { describe, expect, it } from 'vitest';
import { mrkdwn } from '../../../src/adapters/slack/render/phrase-mrkdwn.ts';
import { plainText, textRuns } from '../../../src/adapters/teams/render/phrase-runs.ts';
import { endGrantPhrase } from '../../../src/app/chat/phrases/end-grant-phrase.ts';
import { noticePhrase, noticeSummary } from '../../../src/app/chat/phrases/notice-phrase.ts';
import { approvalSummaryPhrase } from '../../../src/app/chat/phrases/approval-summary-phrase.ts';
import { currentStatePhrase, statePhrase } from '../../../src/app/chat/phrases/state-phrase.ts';
import { extensionPhrase } from '../../../src/app/chat/phrases/extension-phrase.ts';
import { breakGlassPhrase } from '../../../src/app/chat/phrases/break-glass-phrase.ts';
import type { RequestView } from '../../../src/ports/chat-platform.ts';
import { aGrant, aPrincipal, aRequest, aReview, aScope, at } from '../../support/builders.ts';

function deniedView(note: string): RequestView {
  const request = aRequest({ id: 'r-1', status: 'denied', decidedAt: at(60), decisionNote: note });
  return { request, scope: aScope(), requester: aPrincipal({ id: 'alice' }), reviews: [aReview({ requestId: 'r-1', approverId: 'bob', decision: 'deny' })], eligibleApprovers: [], grant: null, names: { bob: 'Bob <!channel>' }, extension: null };
}

describe('the one phrase list', () => {
  it('says what an extension would make of its grant, then what it made of it', () => {
    const old = aGrant({ id: 'g-1', endsAt: at(3600) });
    const request = aRequest({ id: 'r-2', durationSec: 1800, extendsGrantId: 'g-1' });
    const view: RequestView = { request, scope: aScope(), requester: aPrincipal(), reviews: [], eligibleApprovers: [], grant: null, names: {}, extension: { grant: old, endsAt: at(5400), totalSec: 5400 } };
    expect(plainText(extensionPhrase(view)!)).toBe('⏳ Extends grant g-1 (it ends 2026-03-02 10:00 UTC) by 30m: the new grant would end 2026-03-02 10:30 UTC, 1h30m in total.');
    expect(plainText(extensionPhrase({ ...view, grant: aGrant({ id: 'g-2', endsAt: at(5400) }) })!)).toBe('⏳ Extends grant g-1 by 30m: the new grant ends 2026-03-02 10:30 UTC, 1h30m in total.');
    expect(extensionPhrase({ ...view, extension: null })).toBeNull();
  });

  it('says where a break-glass review stands, and never that it was approved', () => {
    const review = { dueAt: at(3600), remindedAt: null, reviewedAt: null, reviewedBy: null, verdict: null, note: null };
    const request = aRequest({ id: 'r-3', status: 'auto_approved', decidedAt: at(0), breakGlass: review });
    const view: RequestView = { request, scope: aScope(), requester: aPrincipal(), reviews: [], eligibleApprovers: [], grant: null, names: { bob: 'Bob' }, extension: null };
    expect(plainText(breakGlassPhrase(view)!)).toBe('⚠ BREAK-GLASS — Alice took this without approval. An approver (not Alice) must acknowledge or flag it by 2026-03-02 10:00 UTC.');
    expect(plainText(breakGlassPhrase(view, at(3600))!)).toMatch(/; the review is overdue\.$/);
    const flagged = { ...view, request: { ...request, breakGlass: { ...review, reviewedAt: at(60), reviewedBy: 'bob', verdict: 'flagged' as const, note: 'no ticket' } } };
    expect(plainText(breakGlassPhrase(flagged)!)).toBe('⚠ FLAGGED by Bob 2026-03-02 09:01 UTC: no ticket');
    expect(plainText(statePhrase(view))).toMatch(/^⚠ Taken without approval \(break-glass\)/);
  });

  it('says a state in the same words on every platform; Slack escapes what people typed', () => {
    const phrase = statePhrase(deniedView('use <https://evil|the docs>'));
    expect(plainText(phrase)).toBe(`❌ Denied by Bob <!channel> ${'2026-03-02 09:01 UTC'}: use <https://evil|the docs>`);
    const slack = mrkdwn(phrase);
    expect(slack).toMatch(/^:x: \*Denied\* by Bob &lt;!channel&gt; <!date\^\d+\^[^>]+> ?: use &lt;https:\/\/evil\|the docs&gt;$/);
  });

  it('says how ending a grant went, with the grant id as code in Slack and plain in Teams', () => {
    const grant = aGrant({ id: 'g-1' });
    expect(mrkdwn(endGrantPhrase({ kind: 'revoked', grant }))).toBe(':lock: Grant `g-1` has ended; its token is revoked.');
    expect(plainText(endGrantPhrase({ kind: 'revocation_pending', grant }))).toBe('⏳ Grant g-1 is ending; the authorization server has not confirmed yet and I keep retrying.');
    expect(plainText(endGrantPhrase({ kind: 'unchanged', grant }))).toBe('Grant g-1 was not active, so there was nothing to end.');
  });

  it('puts the scope of a notice in bold and keeps the plain text between bold runs in one run', () => {
    const view = { ...deniedView('x'), scope: aScope({ name: 'prod-db-admin' }) };
    const { headline, state } = noticePhrase({ kind: 'request_submitted', view });
    expect(state).toBeNull();
    expect(textRuns(headline)).toEqual(['Your request for ', { type: 'TextRun', text: 'prod-db-admin', weight: 'Bolder' }, ' for 1h (r-1) was sent to the reviewers.']);
    expect(noticeSummary({ kind: 'grant_ended', view })).toBe('Your prod-db-admin for 1h grant has ended.');
  });

  it('sums a message up in one line that ends with the last line of its state, in every state', () => {
    const base = deniedView('no');
    const views: RequestView[] = [
      { ...base, request: aRequest({ id: 'r-1' }), reviews: [] },
      base,
      { ...base, request: aRequest({ id: 'r-1', status: 'expired', decidedAt: at(60) }) },
      { ...base, request: aRequest({ id: 'r-1', status: 'cancelled', decidedAt: at(60) }) },
      { ...base, request: aRequest({ id: 'r-1', status: 'auto_denied', decidedAt: at(60), decisionNote: 'outside hours' }) },
      ...(['issuing', 'issue_failed', 'active', 'revoking', 'revoked'] as const).map((status) => ({
        ...base,
        request: aRequest({ id: 'r-1', status: 'approved', decidedAt: at(60) }),
        reviews: [aReview({ requestId: 'r-1', approverId: 'bob' })],
        grant: aGrant({ requestId: 'r-1', status, endReason: status === 'revoked' ? 'revoked_by_reviewer' : null, revokedAt: status === 'revoked' ? at(120) : null }),
      })),
    ];
    for (const view of views) {
      const lastLine = plainText(statePhrase(view)).split('\n').at(-1)!;
      expect(plainText(currentStatePhrase(view))).toBe(lastLine);
      expect(plainText(approvalSummaryPhrase(view))).toBe(`Alice asks for ${view.scope.name} for 1h — ${lastLine}`);
    }
  });
});
