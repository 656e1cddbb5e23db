import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { checkMayReview } from '../../../app/chat/check-may-review.ts';
import { decideRequest } from '../../../app/chat/decide-request.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { ACTIONS, VIEWS } from '../render/action-ids.ts';
import { DENY_REASON_BLOCK, DENY_REASON_INPUT, readDenyContext, renderDenyModal } from '../render/deny-modal.ts';
import { tellUser, type SlackHandlerContext } from './handler-context.ts';

/**
 * Approve and Deny on the approval message. Every click is acknowledged at once; the core then
 * decides whether it counts (eligible approver, not the requester, still pending, first review
 * by this person) under a lock, and a refusal reaches only the clicker, as an ephemeral message.
 * The message itself is re-rendered by the chat flow after any change.
 */
export function registerReviewButtons(app: App, context: SlackHandlerContext): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.approve, async ({ ack, body, action }) => {
    await ack();
    const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
    context.work.run('approve click', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        await decideRequest(context.deps, { requestId: action.value ?? '', actor, decision: 'approve' });
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.deny, async ({ ack, body, action }) => {
    await ack();
    const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
    const requestId = action.value ?? '';
    context.work.run('deny click', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        const { scope } = await checkMayReview(context.deps, { requestId, actor, decision: 'deny' });
        await context.client.views.open({ trigger_id: body.trigger_id, view: renderDenyModal({ requestId, channelId: where.channelId }, scope.name) as never });
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
  });

  app.view(VIEWS.denyReason, async ({ ack, body, view }) => {
    await ack();
    const denial = readDenyContext(view.private_metadata);
    const comment = view.state.values[DENY_REASON_BLOCK]?.[DENY_REASON_INPUT]?.value ?? '';
    const where = { userId: body.user.id, channelId: denial?.channelId ?? null };
    if (!denial) return;
    context.work.run('deny submission', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        await decideRequest(context.deps, { requestId: denial.requestId, actor, decision: 'deny', comment });
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
  });
}
