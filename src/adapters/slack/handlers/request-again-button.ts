import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { requestAgain } from '../../../app/chat/request-again.ts';
import { ACTIONS } from '../render/action-ids.ts';
import { describeSubmitResult } from '../render/command-replies.ts';
import { escapeMrkdwn } from '../render/escape.ts';
import { tellBusy, tellUser, type SlackHandlerContext } from './handler-context.ts';

/**
 * "Request again" on the direct message of a request that expired unreviewed: the clicker must be
 * its requester (checked by the core); the answer goes to them privately where they clicked.
 */
export function registerRequestAgainButton(app: App, context: SlackHandlerContext): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.requestAgain, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
    // A new request: it waits in the requests lane, behind a burst like any other.
    const accepted = context.work.requests.run('request again click', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        const outcome = await requestAgain(context.deps, { actor, requestId: action.value ?? '', source: 'slack' });
        const answer = outcome.replayed ? `You already sent this request again as \`${escapeMrkdwn(outcome.request.id)}\`.` : describeSubmitResult(outcome);
        await tellUser(context, where, answer);
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
    if (!accepted) await tellBusy(context, args, where);
  });
}
