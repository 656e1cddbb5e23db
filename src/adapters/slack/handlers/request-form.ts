import type { App } from '@slack/bolt';
import { isMatchedActor, resolveActor, type Actor } from '../../../app/actor.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { submitRequest } from '../../../app/chat/submit-request.ts';
import { formatDuration, parseDuration } from '../../../domain/duration.ts';
import { ElevateError, isElevateError } from '../../../domain/errors.ts';
import { mayRequest } from '../../../domain/scope.ts';
import { VIEWS } from '../render/action-ids.ts';
import { describeSubmitResult } from '../render/command-replies.ts';
import { REQUEST_FORM, renderRequestForm } from '../render/request-form.ts';
import { unlinkedAccountReceipt } from '../render/unlinked-receipt.ts';
import type { SlackHandlerContext } from './handler-context.ts';

/** Opens the request form listing only the scopes this person may request. */
export async function openRequestForm(context: SlackHandlerContext, input: { actor: Actor; triggerId: string }): Promise<void> {
  const person = await resolveActor(context.deps.store, input.actor);
  const scopes = (await context.deps.store.listScopes()).filter((scope) => mayRequest(scope, person.id));
  if (scopes.length === 0) throw new ElevateError('not_allowed_to_request', 'There is no scope you are allowed to request yet; ask an admin.');
  await context.client.views.open({ trigger_id: input.triggerId, view: renderRequestForm(scopes) as never });
}

/**
 * The form's submission. Mistakes a person can fix in the form (a malformed duration, one over
 * the scope's maximum, an empty reason) are shown next to the field in the acknowledgement,
 * after a store read only; the request itself is made after the acknowledgement and its outcome
 * arrives as a direct message.
 */
export function registerRequestForm(app: App, context: SlackHandlerContext): void {
  app.view(VIEWS.requestForm, async ({ ack, body, view }) => {
    const values = view.state.values;
    const scopeName = values[REQUEST_FORM.scope.block]?.[REQUEST_FORM.scope.action]?.selected_option?.value ?? '';
    const duration = values[REQUEST_FORM.duration.block]?.[REQUEST_FORM.duration.action]?.value ?? '';
    const reason = values[REQUEST_FORM.reason.block]?.[REQUEST_FORM.reason.action]?.value ?? '';
    const errors = await fieldErrors(context, { scopeName, duration, reason });
    if (Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors });
    await ack();
    const userId = body.user.id;
    context.work.run('request form', async () => {
      let text: string;
      try {
        const actor = await context.actorFor(userId);
        const result = await submitRequest(context.deps, { actor, scopeName, duration, reason, source: 'slack' });
        text = isMatchedActor(actor) ? unlinkedAccountReceipt(result.request.id) : describeSubmitResult(result);
      } catch (error) {
        text = `Your request was not made: ${describeFailureForPerson(error)}`;
      }
      await context.platform.sendDirectMessage(userId, { text });
    });
  });
}

async function fieldErrors(context: SlackHandlerContext, input: { scopeName: string; duration: string; reason: string }): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  if (input.reason.trim() === '') errors[REQUEST_FORM.reason.block] = 'Say why you need this access.';
  let seconds: number | null = null;
  try {
    seconds = parseDuration(input.duration);
  } catch (error) {
    errors[REQUEST_FORM.duration.block] = isElevateError(error) ? error.message : 'Use a duration such as 15m, 1h or 1h30m.';
  }
  const scope = await context.deps.store.getScope(input.scopeName);
  if (!scope) errors[REQUEST_FORM.scope.block] = 'Choose a scope.';
  else if (seconds !== null && seconds > scope.maxDurationSec) errors[REQUEST_FORM.duration.block] = `${scope.name} allows at most ${formatDuration(scope.maxDurationSec)}.`;
  return errors;
}
