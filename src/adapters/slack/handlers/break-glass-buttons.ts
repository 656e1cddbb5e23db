import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { reviewBreakGlassFromChat } from '../../../app/chat/review-break-glass-from-chat.ts';
import { ACTIONS } from '../render/action-ids.ts';
import { tellBusy, tellUser, type SlackHandlerContext } from './handler-context.ts';

/**
 * Acknowledge and Flag on a break-glass message: an eligible approver (never its requester)
 * reviews the grant after the fact. A refusal is told to the clicker only; the message shows the
 * review once it is recorded.
 */
export function registerBreakGlassButtons(app: App, context: SlackHandlerContext): void {
  const review = (verdict: 'acknowledged' | 'flagged') =>
    async (args: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction; respond?: unknown }) => {
      const { ack, body, action } = args;
      await ack();
      const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
      const accepted = context.work.decisions.run(`break-glass ${verdict} click`, async () => {
        try {
          await reviewBreakGlassFromChat(context.deps, { requestId: action.value ?? '', actor: await context.actorFor(where.userId), verdict });
        } catch (error) {
          await tellUser(context, where, describeFailureForPerson(error));
        }
      });
      if (!accepted) await tellBusy(context, args, where);
    };
  app.action<BlockAction<ButtonAction>>(ACTIONS.acknowledgeBreakGlass, review('acknowledged'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.flagBreakGlass, review('flagged'));
}
