import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { checkMayReview } from '../../../app/chat/check-may-review.ts';
import { decideRequest } from '../../../app/chat/decide-request.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { ACTIONS, VIEWS } from '../render/action-ids.ts';
import { DENY_REASON_BLOCK, DENY_REASON_INPUT, readDenyContext, renderDenyModal } from '../render/deny-modal.ts';
import { MODAL_BUSY, tellBusy, tellUser, type SlackHandlerContext } from './handler-context.ts';

/**
 * Approve and Deny on the approval message. Every click is acknowledged at once; the core then
 * decides whether it counts (eligible approver, not the requester, still pending, first review
 * by this person) under a lock, and a refusal reaches only the clicker, as an ephemeral message.
 * The message itself is re-rendered by the chat flow after any change. Decisions run in their own
 * lane, so a click is not queued behind a burst of new requests; when even that lane is full, the
 * clicker is told at once that nothing happened (the deny form keeps its text and shows why).
 */
export function registerReviewButtons(app: App, context: SlackHandlerContext): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.approve, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
    const accepted = context.work.decisions.run('approve click', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        await decideRequest(context.deps, { requestId: action.value ?? '', actor, decision: 'approve' });
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
    if (!accepted) await tellBusy(context, args, where);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.deny, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
    const requestId = action.value ?? '';
    const accepted = context.work.decisions.run('deny click', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        const { scope } = await checkMayReview(context.deps, { requestId, actor, decision: 'deny' });
        await context.client.views.open({ trigger_id: body.trigger_id, view: renderDenyModal({ requestId, channelId: where.channelId }, scope.name) as never });
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
    if (!accepted) await tellBusy(context, args, where);
  });

  app.view(VIEWS.denyReason, async ({ ack, body, view }) => {
    const denial = readDenyContext(view.private_metadata);
    const comment = view.state.values[DENY_REASON_BLOCK]?.[DENY_REASON_INPUT]?.value ?? '';
    const where = { userId: body.user.id, channelId: denial?.channelId ?? null };
    if (!denial) return ack();
    // Accepted (or refused) before the form closes: a refusal keeps the form open with the reason typed.
    const accepted = context.work.decisions.run('deny submission', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        await decideRequest(context.deps, { requestId: denial.requestId, actor, decision: 'deny', comment });
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
    if (!accepted) return ack({ response_action: 'errors', errors: { [DENY_REASON_BLOCK]: MODAL_BUSY } });
    await ack();
  });
}
