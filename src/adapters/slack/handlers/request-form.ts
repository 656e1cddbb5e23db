import type { App } from '@slack/bolt';
import { isMatchedActor, type Actor } from '../../../app/actor.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { requestFormProblem } from '../../../app/chat/request-form-problem.ts';
import { requestFormScopes } from '../../../app/chat/request-form-scopes.ts';
import { submitRequest } from '../../../app/chat/submit-request.ts';
import { requestElevation } from '../../../app/request-elevation.ts';
import { VIEWS } from '../render/action-ids.ts';
import { describeSubmitResult } from '../render/command-replies.ts';
import { REQUEST_FORM, renderRequestForm } from '../render/request-form.ts';
import { unlinkedAccountReceipt } from '../render/unlinked-receipt.ts';
import { MODAL_BUSY, type SlackHandlerContext } from './handler-context.ts';

/** Opens the request form listing only the scopes this person may request. */
export async function openRequestForm(context: SlackHandlerContext, input: { actor: Actor; triggerId: string }): Promise<void> {
  const scopes = await requestFormScopes(context.deps, input.actor);
  await context.client.views.open({ trigger_id: input.triggerId, view: renderRequestForm(scopes) as never });
}

/**
 * The form's submission. Mistakes a person can fix in the form (a scope they may not request, a
 * malformed duration or one over the scope's maximum, a missing or mismatched reason) are shown
 * next to the field in the acknowledgement, found by a dry run of the request (store reads
 * only); the request itself is made after the acknowledgement and its outcome arrives as a
 * direct message, as does any refusal the form cannot fix.
 */
export function registerRequestForm(app: App, context: SlackHandlerContext): void {
  app.view(VIEWS.requestForm, async ({ ack, body, view }) => {
    const values = view.state.values;
    const scopeName = values[REQUEST_FORM.scope.block]?.[REQUEST_FORM.scope.action]?.selected_option?.value ?? '';
    const duration = values[REQUEST_FORM.duration.block]?.[REQUEST_FORM.duration.action]?.value ?? '';
    const reason = values[REQUEST_FORM.reason.block]?.[REQUEST_FORM.reason.action]?.value ?? '';
    const userId = body.user.id;
    const busy = () => ack({ response_action: 'errors', errors: { [REQUEST_FORM.reason.block]: MODAL_BUSY } });
    // Under a burst, not even the dry run's reads.
    if (context.work.requests.full()) return busy();
    const problem = await formProblem(context, { userId, scopeName, duration, reason });
    if (problem) return ack({ response_action: 'errors', errors: { [REQUEST_FORM[problem.field].block]: problem.text } });
    const accepted = context.work.requests.run('request form', async () => {
      const tell = (text: string) => context.platform.sendDirectMessage(userId, { text }).then(() => undefined);
      try {
        const actor = await context.actorFor(userId);
        // The receipt is sent in its place among the request's notices (see submitRequest).
        await submitRequest(context.deps, { actor, scopeName, duration, reason, source: 'slack' }, (result) =>
          tell(isMatchedActor(actor) ? unlinkedAccountReceipt(result.request.id) : describeSubmitResult(result)),
        );
      } catch (error) {
        await tell(`Your request was not made: ${describeFailureForPerson(error)}`);
      }
    });
    // A full queue keeps the form open, with what was typed, and says why: nothing was stored.
    if (!accepted) return busy();
    await ack();
  });
}

/** What the form should say next to a field, or null when the request may go ahead (or fail in a way only its outcome can explain). */
async function formProblem(context: SlackHandlerContext, input: { userId: string; scopeName: string; duration: string; reason: string }) {
  try {
    const actor = await context.actorFor(input.userId);
    await requestElevation(context.deps, { actor, scopeName: input.scopeName, duration: input.duration, reason: input.reason, source: 'slack' }, { dryRun: true });
    return null;
  } catch (error) {
    return requestFormProblem(error);
  }
}
