import type { TurnContext } from 'botbuilder';
import { buildRequestView } from '../../../app/chat/build-request-view.ts';
import { decideRequest } from '../../../app/chat/decide-request.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { endGrantFromChat } from '../../../app/chat/end-grant-from-chat.ts';
import { endGrantPhrase } from '../../../app/chat/phrases/end-grant-phrase.ts';
import { requestFormProblem } from '../../../app/chat/request-form-problem.ts';
import { requestFormScopes } from '../../../app/chat/request-form-scopes.ts';
import { revealToken } from '../../../app/chat/reveal-token.ts';
import { submitRequest } from '../../../app/chat/submit-request.ts';
import { submitExtension } from '../../../app/chat/submit-extension.ts';
import { reviewBreakGlassFromChat } from '../../../app/chat/review-break-glass-from-chat.ts';
import { requestElevation } from '../../../app/request-elevation.ts';
import { teamsActor } from '../identity.ts';
import { renderApprovalCard } from '../render/approval-card.ts';
import { card, CARD_CONTENT_TYPE, paragraph, run, type AdaptiveCard } from '../render/card-elements.ts';
import { plainText } from '../render/phrase-runs.ts';
import { describeSubmitResult } from '../render/replies.ts';
import { renderFormOutcomeCard, renderRequestFormCard } from '../render/request-form-card.ts';
import { renderDialogMessage, renderTokenDialog } from '../render/token-dialog.ts';
import { DENY_COMMENT_INPUT, REQUEST_INPUTS, VERBS } from '../render/verbs.ts';
import { answerInvoke, type TeamsHandlerContext } from './handler-context.ts';

/**
 * Invokes: `adaptiveCard/action` (the cards' `Action.Execute` buttons) and `task/fetch` (the
 * "Show token" dialog). Each answers in the HTTP response: the card that replaces the clicked
 * one, a message only the clicker sees (a refusal), or the dialog.
 */
export async function onInvoke(context: TeamsHandlerContext, turn: TurnContext): Promise<void> {
  const { name, value } = turn.activity as { name?: string; value?: unknown };
  if (name === 'adaptiveCard/action') return answerInvoke(turn, await onCardAction(context, turn, value));
  if (name === 'task/fetch') return answerInvoke(turn, await onTaskFetch(context, turn, value));
  if (name === 'task/submit') return answerInvoke(turn, {});
  return answerInvoke(turn, undefined, 501);
}

type CardActionResponse = { statusCode: 200; type: string; value: unknown };

const cardResponse = (content: AdaptiveCard): CardActionResponse => ({ statusCode: 200, type: CARD_CONTENT_TYPE, value: content });
/** Shown to the clicker only, as a transient message on the card; the card stays as it was. */
const messageResponse = (text: string): CardActionResponse => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text.slice(0, 1000) });

async function onCardAction(context: TeamsHandlerContext, turn: TurnContext, value: unknown): Promise<CardActionResponse> {
  const action = (value as { action?: { verb?: unknown; data?: Record<string, unknown> } } | undefined)?.action;
  const verb = typeof action?.verb === 'string' ? action.verb : '';
  const data = action?.data ?? {};
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  const actor = teamsActor(turn.activity.from);
  const { deps } = context;
  try {
    switch (verb) {
      case VERBS.approve:
      case VERBS.deny: {
        const requestId = text('requestId');
        const decision = verb === VERBS.approve ? ('approve' as const) : ('deny' as const);
        const decided = context.work.track(`${decision} click`, decideRequest(deps, { requestId, actor, decision, ...(decision === 'deny' ? { comment: text(DENY_COMMENT_INPUT) } : {}) }));
        // A refusal arrives quickly (it is a store read); a slow token exchange must not make Teams give up on the click.
        const finished = await Promise.race([decided.then(() => true), delay(context.config.decisionTimeoutMs).then(() => false)]);
        if (!finished) context.logger.info({ request_id: requestId }, 'teams: decision still running after the invoke deadline; answering with the current card');
        return cardResponse(renderApprovalCard(await buildRequestView(deps.store, requestId)));
      }
      case VERBS.revoke: {
        const result = await endGrantFromChat(deps, text('grantId'), actor);
        if (result.kind === 'unchanged') return messageResponse('That grant was no longer active; nothing changed.');
        return cardResponse(renderApprovalCard(await buildRequestView(deps.store, result.grant.requestId)));
      }
      case VERBS.endGrant: {
        const result = await endGrantFromChat(deps, text('grantId'), actor);
        return cardResponse(card([paragraph(run(plainText(endGrantPhrase(result))))]));
      }
      case VERBS.acknowledgeBreakGlass:
      case VERBS.flagBreakGlass: {
        const verdict = verb === VERBS.flagBreakGlass ? ('flagged' as const) : ('acknowledged' as const);
        const request = await reviewBreakGlassFromChat(deps, { requestId: text('requestId'), actor, verdict });
        return cardResponse(renderApprovalCard(await buildRequestView(deps.store, request.id)));
      }
      case VERBS.extendGrant: {
        const result = await submitExtension(deps, { actor, grantId: text('grantId'), source: 'teams' });
        return messageResponse(describeSubmitResult(result));
      }
      case VERBS.request:
        return cardResponse(await submitFromForm(context, actor, { scope: text(REQUEST_INPUTS.scope), duration: text(REQUEST_INPUTS.duration), reason: text(REQUEST_INPUTS.reason) }));
      default:
        return messageResponse('This card is out of date; nothing was done.');
    }
  } catch (error) {
    return messageResponse(describeFailureForPerson(error));
  }
}

/**
 * A submitted form: a dry run first, so a mistake the requester can fix in the form brings the
 * form back (with only the scopes they may request) and the problem above it; then the request,
 * whose outcome replaces the form. Anything else the caller answers as a refusal.
 */
async function submitFromForm(context: TeamsHandlerContext, actor: ReturnType<typeof teamsActor>, input: { scope: string; duration: string; reason: string }): Promise<AdaptiveCard> {
  const request = { actor, scopeName: input.scope, duration: input.duration, reason: input.reason, source: 'teams' as const };
  try {
    await requestElevation(context.deps, request, { dryRun: true });
  } catch (error) {
    if (requestFormProblem(error) === null) throw error;
    return renderRequestFormCard(await requestFormScopes(context.deps, actor), { ...input, problem: describeFailureForPerson(error) });
  }
  return renderFormOutcomeCard(describeSubmitResult(await submitRequest(context.deps, request)));
}

async function onTaskFetch(context: TeamsHandlerContext, turn: TurnContext, value: unknown): Promise<Record<string, unknown>> {
  const data = (value as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  if (data.verb !== VERBS.revealToken || typeof data.grantId !== 'string') return renderDialogMessage('This button is out of date.');
  let dialog: Record<string, unknown> | null = null;
  try {
    await revealToken(context.deps, { grantId: data.grantId, actor: teamsActor(turn.activity.from), via: 'teams' }, async (token) => {
      dialog = renderTokenDialog(token);
    });
  } catch (error) {
    return renderDialogMessage(describeFailureForPerson(error));
  }
  return dialog ?? renderDialogMessage('The token could not be shown.');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
