import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { endGrantFromChat } from '../../../app/chat/end-grant-from-chat.ts';
import { revealToken } from '../../../app/chat/reveal-token.ts';
import { submitExtension } from '../../../app/chat/submit-extension.ts';
import { describeSubmitResult } from '../render/command-replies.ts';
import { ACTIONS } from '../render/action-ids.ts';
import { renderTokenModal } from '../render/token-modal.ts';
import { tellBusy, tellUser, type SlackHandlerContext } from './handler-context.ts';

/**
 * Buttons that act on a grant: Revoke on the approval message (approvers, admins), and in the
 * requester's direct message "Show token" (opens the private token modal), "I'm done" and
 * "Extend by …" (an extension by the scope's default duration, for the grant's own reason). Acting
 * on a grant, they run in the decisions lane (not behind a burst of new requests), the extension
 * (a new request) in the requests lane; a full lane is answered at once.
 */
export function registerGrantButtons(app: App, context: SlackHandlerContext): void {
  const endGrant = (label: string) =>
    async (args: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction; respond?: unknown }) => {
      const { ack, body, action } = args;
      await ack();
      const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
      const accepted = context.work.decisions.run(label, async () => {
        try {
          const actor = await context.actorFor(where.userId);
          const result = await endGrantFromChat(context.deps, action.value ?? '', actor);
          if (result.kind === 'revocation_pending') await tellUser(context, where, 'The grant is ending; the authorization server has not confirmed revocation yet and I keep retrying.');
          if (result.kind === 'unchanged') await tellUser(context, where, 'That grant was no longer active; nothing changed.');
        } catch (error) {
          await tellUser(context, where, describeFailureForPerson(error));
        }
      });
      if (!accepted) await tellBusy(context, args, where);
    };
  app.action<BlockAction<ButtonAction>>(ACTIONS.revoke, endGrant('revoke click'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.endGrant, endGrant('end grant click'));

  // Slack sends an interaction for a URL button too; the browser does the rest.
  app.action<BlockAction<ButtonAction>>(ACTIONS.openLink, async ({ ack }) => ack());

  app.action<BlockAction<ButtonAction>>(ACTIONS.extendGrant, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
    const accepted = context.work.requests.run('extend grant click', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        await submitExtension(context.deps, { actor, grantId: action.value ?? '', source: 'slack' }, (result) => tellUser(context, where, describeSubmitResult(result)));
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
    if (!accepted) await tellBusy(context, args, where);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.revealToken, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const where = { userId: body.user.id, channelId: body.channel?.id ?? null };
    const accepted = context.work.decisions.run('reveal token', async () => {
      try {
        const actor = await context.actorFor(where.userId);
        await revealToken(context.deps, { grantId: action.value ?? '', actor, via: 'slack' }, async (token) => {
          await context.client.views.open({ trigger_id: body.trigger_id, view: renderTokenModal(token) as never });
        });
      } catch (error) {
        await tellUser(context, where, describeFailureForPerson(error));
      }
    });
    if (!accepted) await tellBusy(context, args, where);
  });
}
