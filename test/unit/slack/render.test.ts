import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, truncate } from '../../../src/adapters/slack/render/escape.ts';
import { renderApprovalMessage } from '../../../src/adapters/slack/render/approval-message.ts';
import { renderPersonNotice } from '../../../src/adapters/slack/render/person-notice.ts';
import { renderTokenModal } from '../../../src/adapters/slack/render/token-modal.ts';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import type { RequestView } from '../../../src/ports/chat-platform.ts';
import { blockErrors } from '../../fakes/slack/block-limits.ts';
import { aGrant, aPrincipal, aRequest, aReview, aScope } from '../../support/builders.ts';

function aView(overrides: Partial<RequestView> = {}): RequestView {
  const request = overrides.request ?? aRequest({ id: 'r-1' });
  return {
    request,
    scope: aScope(),
    requester: aPrincipal({ id: 'alice' }),
    reviews: [],
    eligibleApprovers: [aPrincipal({ id: 'bob' }), aPrincipal({ id: 'carol' })],
    grant: null,
    names: { alice: 'Alice', bob: 'Bob', carol: 'Carol' },
    extension: null,
    ...overrides,
  };
}

const buttons = (blocks: Record<string, unknown>[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements as { action_id: string }[]).map((e) => e.action_id));

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel> now', '&lt;!channel&gt; now'],
    ['<@U123> look', '&lt;@U123&gt; look'],
    ['<https://evil.example|docs>', '&lt;https://evil.example|docs&gt;'],
    ['a & b', 'a &amp; b'],
    ['ping @here and @Channel', 'ping @\u200dhere and @\u200dChannel'],
    ['mail bob@hereford.example', 'mail bob@hereford.example'],
  ])('makes %j inert', (input, output) => {
    expect(escapeMrkdwn(input)).toBe(output);
  });

  it('truncates with an ellipsis and never splits a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('the approval message', () => {
  it('offers Approve and Deny while pending, Revoke while the grant is active, and nothing once over', () => {
    expect(buttons(renderApprovalMessage(aView()).blocks)).toEqual([ACTIONS.approve, ACTIONS.deny]);
    const approved = aRequest({ id: 'r-1', status: 'approved', decidedAt: new Date() });
    expect(buttons(renderApprovalMessage(aView({ request: approved, grant: aGrant({ requestId: 'r-1' }) })).blocks)).toEqual([ACTIONS.revoke]);
    expect(buttons(renderApprovalMessage(aView({ request: approved, grant: aGrant({ requestId: 'r-1', status: 'revoked', endReason: 'expired', revokedAt: new Date() }) })).blocks)).toEqual([]);
    for (const status of ['denied', 'expired', 'cancelled', 'auto_denied'] as const) {
      expect(buttons(renderApprovalMessage(aView({ request: aRequest({ status }) })).blocks)).toEqual([]);
    }
  });

  it('stays within Block Kit limits whatever the inputs', () => {
    const huge = 'x'.repeat(10_000);
    const view = aView({
      request: aRequest({ reason: huge }),
      scope: aScope({ description: huge, name: huge.slice(0, 300) }),
      requester: aPrincipal({ id: 'alice', displayName: huge }),
      eligibleApprovers: Array.from({ length: 500 }, (_, i) => aPrincipal({ id: `p${i}`, displayName: huge.slice(0, 50) })),
      reviews: Array.from({ length: 60 }, (_, i) => aReview({ requestId: 'r-1', approverId: `p${i}`, comment: huge.slice(0, 500) })),
    });
    const message = renderApprovalMessage(view);
    expect(blockErrors(message.blocks, 50)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(300);
  });

  it('shows the approval count and who approved', () => {
    const view = aView({ request: aRequest({ id: 'r-1', approvalsRequired: 2 }), reviews: [aReview({ requestId: 'r-1', approverId: 'bob' })] });
    const text = JSON.stringify(renderApprovalMessage(view).blocks);
    expect(text).toContain('1 of 2 needed');
    expect(text).toContain('Approved by Bob');
  });
});

describe('notices and the token modal', () => {
  it('never puts a token in the grant notice; it offers a reveal button instead', () => {
    const grant = aGrant({ requestId: 'r-1', tokenSealed: 'v1.sealed-secret' });
    const message = renderPersonNotice({ kind: 'grant_issued', view: aView({ request: aRequest({ id: 'r-1', status: 'approved' }), grant }) }, '/elevate');
    expect(JSON.stringify(message)).not.toContain('sealed-secret');
    expect(buttons(message.blocks)).toEqual([ACTIONS.revealToken, ACTIONS.endGrant, ACTIONS.extendGrant]);
  });

  it('offers no Extend button where the scope does not allow extensions', () => {
    const grant = aGrant({ requestId: 'r-1' });
    const view = aView({ request: aRequest({ id: 'r-1', status: 'approved' }), scope: aScope({ extend: { allowed: false, maxTotalSec: null, approvalsRequired: null } }), grant });
    expect(buttons(renderPersonNotice({ kind: 'grant_issued', view }, '/elevate').blocks)).toEqual([ACTIONS.revealToken, ACTIONS.endGrant]);
  });

  it('puts a step-up link only behind its button: not in the notification text, within Slack\'s limits', () => {
    const url = 'https://elevate.example/auth/step-up/secret-ticket-0123456789';
    for (const kind of ['verify_to_receive', 'verify_to_approve'] as const) {
      const message = renderPersonNotice({ kind, view: aView({ request: aRequest({ id: 'r-1', status: kind === 'verify_to_receive' ? 'verifying' : 'pending' }) }), link: { url, expiresAt: new Date('2026-03-02T09:10:00Z') } }, '/elevate');
      expect(message.text).not.toContain('secret-ticket');
      const withUrl = message.blocks.flatMap((b) => ((b['elements'] as Record<string, unknown>[] | undefined) ?? [])).filter((e) => e['url'] === url);
      expect(withUrl).toMatchObject([{ type: 'button', action_id: ACTIONS.openLink }]);
      expect(blockErrors(message.blocks, 100)).toEqual([]);
      expect(JSON.stringify(message.blocks)).toContain('/elevate verify r-1');
    }
  });

  it('splits a long token over several blocks under the text limit', () => {
    const accessToken = 'a'.repeat(7000);
    const modal = renderTokenModal({ grantId: 'g-1', requestId: 'r-1', scopeName: 'prod-db-admin', accessToken, tokenType: 'Bearer', endsAt: new Date() }) as { blocks: Record<string, unknown>[] };
    expect(blockErrors(modal.blocks, 100)).toEqual([]);
    const shown = modal.blocks.map((b) => /```(a+)```/.exec(JSON.stringify(b))?.[1] ?? '').join('');
    expect(shown).toBe(accessToken);
  });
});
