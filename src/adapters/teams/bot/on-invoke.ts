import type { Activity, TurnContext } from 'botbuilder';
import { buildApprovalView } from '../../../app/chat/build-request-view.ts';
import { decideRequest } from '../../../app/chat/decide-request.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { endGrantFromChat } from '../../../app/chat/end-grant-from-chat.ts';
import { endGrantPhrase } from '../../../app/chat/phrases/end-grant-phrase.ts';
import { requestAgain } from '../../../app/chat/request-again.ts';
import { requestFormProblem } from '../../../app/chat/request-form-problem.ts';
import { requestFormScopes } from '../../../app/chat/request-form-scopes.ts';
import { revealToken } from '../../../app/chat/reveal-token.ts';
import { submitRequest } from '../../../app/chat/submit-request.ts';
import { submitExtension } from '../../../app/chat/submit-extension.ts';
import { reviewBreakGlassFromChat } from '../../../app/chat/review-break-glass-from-chat.ts';
import { requestElevation } from '../../../app/request-elevation.ts';
import { teamsActor, teamsUserId } from '../identity.ts';
import { busyPhrase, queuedRequestPhrase } from '../../../app/chat/phrases/busy-phrase.ts';
import { rememberSafely } from './remember-conversation.ts';
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
 * one, a message only the clicker sees (a refusal), or the dialog. The work behind the answer
 * runs in a follow-up lane — decisions (approve, deny, revoke, end, reveal) in their own, so a
 * click is not queued behind a burst of new requests — and a full lane is answered at once:
 * nothing was stored, try again.
 */
export async function onInvoke(context: TeamsHandlerContext, turn: TurnContext): Promise<void> {
  const activity = turn.activity;
  const { name, value } = activity as { name?: string; value?: unknown };
  if (name === 'adaptiveCard/action') return answerInvoke(turn, await onCardAction(context, activity, value));
  if (name === 'task/fetch') return answerInvoke(turn, await onTaskFetch(context, activity, value));
  await rememberSafely(context, activity);
  if (name === 'task/submit') return answerInvoke(turn, {});
  return answerInvoke(turn, undefined, 501);
}

type CardActionResponse = { statusCode: 200; type: string; value: unknown };

const cardResponse = (content: AdaptiveCard): CardActionResponse => ({ statusCode: 200, type: CARD_CONTENT_TYPE, value: content });
/** Shown to the clicker only, as a transient message on the card; the card stays as it was. */
const messageResponse = (text: string): CardActionResponse => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text.slice(0, 1000) });
/** A full lane: the card stays as it was, and the clicker reads that nothing happened. */
const busyResponse = (): CardActionResponse => messageResponse(plainText(busyPhrase()));

async function onCardAction(context: TeamsHandlerContext, activity: Activity, value: unknown): Promise<CardActionResponse> {
  const action = (value as { action?: { verb?: unknown; data?: Record<string, unknown> } } | undefined)?.action;
  const verb = typeof action?.verb === 'string' ? action.verb : '';
  const data = action?.data ?? {};
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  const actor = teamsActor(activity.from);
  const { deps } = context;
  /** Runs `work` in the decisions lane (after remembering the conversation): its answer, or null when the lane is full. */
  const decide = <T>(label: string, work: () => Promise<T>) =>
    context.work.decisions.submit(label, async () => {
      await rememberSafely(context, activity);
      return work();
    });
  try {
    switch (verb) {
      case VERBS.approve:
      case VERBS.deny: {
        const requestId = text('requestId');
        const decision = verb === VERBS.approve ? ('approve' as const) : ('deny' as const);
        const decided = decide(`${decision} click`, () => decideRequest(deps, { requestId, actor, decision, ...(decision === 'deny' ? { comment: text(DENY_COMMENT_INPUT) } : {}) }));
        if (!decided) return busyResponse();
        // A refusal arrives quickly (it is a store read); a slow token exchange must not make Teams give up on the click.
        const finished = await Promise.race([decided.then(() => true), delay(context.config.decisionTimeoutMs).then(() => false)]);
        if (!finished) context.logger.info({ request_id: requestId }, 'teams: decision still running after the invoke deadline; answering with the current card');
        return cardResponse(renderApprovalCard(await buildApprovalView(deps.store, requestId, deps.clock.now())));
      }
      case VERBS.revoke: {
        const answer = decide('revoke click', async () => {
          const result = await endGrantFromChat(deps, text('grantId'), actor);
          if (result.kind === 'unchanged') return messageResponse('That grant was no longer active; nothing changed.');
          return cardResponse(renderApprovalCard(await buildApprovalView(deps.store, result.grant.requestId, deps.clock.now())));
        });
        return answer ? await answer : busyResponse();
      }
      case VERBS.endGrant: {
        const answer = decide('end grant click', async () => cardResponse(card([paragraph(run(plainText(endGrantPhrase(await endGrantFromChat(deps, text('grantId'), actor)))))])));
        return answer ? await answer : busyResponse();
      }
      case VERBS.requestAgain: {
        // A new request: it waits in the requests lane, behind a burst like any other.
        const answer = context.work.requests.submit('request again click', async () => {
          await rememberSafely(context, activity);
          const outcome = await requestAgain(deps, { actor, requestId: text('requestId'), source: 'teams' });
          return cardResponse(renderFormOutcomeCard(outcome.replayed ? `You already sent this request again as ${outcome.request.id}.` : describeSubmitResult(outcome)));
        });
        return answer ? await answer : busyResponse();
      }
      case VERBS.acknowledgeBreakGlass:
      case VERBS.flagBreakGlass: {
        const verdict = verb === VERBS.flagBreakGlass ? ('flagged' as const) : ('acknowledged' as const);
        const answer = decide(`break-glass ${verdict} click`, async () => {
          const request = await reviewBreakGlassFromChat(deps, { requestId: text('requestId'), actor, verdict });
          return cardResponse(renderApprovalCard(await buildApprovalView(deps.store, request.id, deps.clock.now())));
        });
        return answer ? await answer : busyResponse();
      }
      case VERBS.extendGrant: {
        // A new request: it waits in the requests lane, behind a burst like any other.
        const answer = context.work.requests.submit('extend grant click', async () => {
          await rememberSafely(context, activity);
          return messageResponse(describeSubmitResult(await submitExtension(deps, { actor, grantId: text('grantId'), source: 'teams' })));
        });
        return answer ? await answer : busyResponse();
      }
      case VERBS.request:
        return await submitFromForm(context, activity, { scope: text(REQUEST_INPUTS.scope), duration: text(REQUEST_INPUTS.duration), reason: text(REQUEST_INPUTS.reason) });
      default:
        await rememberSafely(context, activity);
        return messageResponse('This card is out of date; nothing was done.');
    }
  } catch (error) {
    return messageResponse(describeFailureForPerson(error));
  }
}

/**
 * A submitted form: a dry run first (store reads only), so a mistake the requester can fix in the
 * form brings the form back (with only the scopes they may request) and the problem above it;
 * then the request, in the requests lane, whose outcome replaces the form. When it is queued
 * behind a burst for longer than an invoke may wait, the form is replaced by "queued" and the
 * outcome follows as a message in the 1:1 chat. A full lane leaves the form as it was and says
 * that nothing was stored. Anything else the caller answers as a refusal.
 */
async function submitFromForm(context: TeamsHandlerContext, activity: Activity, input: { scope: string; duration: string; reason: string }): Promise<CardActionResponse> {
  const actor = teamsActor(activity.from);
  const request = { actor, scopeName: input.scope, duration: input.duration, reason: input.reason, source: 'teams' as const };
  if (context.work.requests.full()) return busyResponse(); // under a burst, not even the dry run's reads
  try {
    await requestElevation(context.deps, request, { dryRun: true });
  } catch (error) {
    if (requestFormProblem(error) === null) throw error;
    return cardResponse(renderRequestFormCard(await requestFormScopes(context.deps, actor), { ...input, problem: describeFailureForPerson(error) }));
  }
  // Set when the invoke was answered "queued" (in the timer's callback, so never between the work's check and its end).
  let answeredQueued = false;
  const tellLater = (text: string) => context.platform.tellPerson(teamsUserId(activity.from), text);
  const outcome = context.work.requests.submit('request form', async () => {
    await rememberSafely(context, activity);
    let text: string;
    try {
      text = describeSubmitResult(await submitRequest(context.deps, request));
    } catch (error) {
      if (answeredQueued) await tellLater(`Your request was not made: ${describeFailureForPerson(error)}`);
      throw error;
    }
    if (answeredQueued) await tellLater(text);
    return text;
  });
  if (!outcome) return busyResponse();
  const timedOut = delay(context.config.decisionTimeoutMs).then(() => {
    answeredQueued = true;
    return null;
  });
  const text = await Promise.race([outcome, timedOut]);
  return cardResponse(renderFormOutcomeCard(text ?? plainText(queuedRequestPhrase())));
}

async function onTaskFetch(context: TeamsHandlerContext, activity: Activity, value: unknown): Promise<Record<string, unknown>> {
  const data = (value as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  if (data.verb !== VERBS.revealToken || typeof data.grantId !== 'string') return renderDialogMessage('This button is out of date.');
  const grantId = data.grantId;
  const shown = context.work.decisions.submit('reveal token', async () => {
    await rememberSafely(context, activity);
    let dialog: Record<string, unknown> | null = null;
    await revealToken(context.deps, { grantId, actor: teamsActor(activity.from), via: 'teams' }, async (token) => {
      dialog = renderTokenDialog(token);
    });
    return dialog ?? renderDialogMessage('The token could not be shown.');
  });
  if (!shown) return renderDialogMessage(plainText(busyPhrase()));
  try {
    return await shown;
  } catch (error) {
    return renderDialogMessage(describeFailureForPerson(error));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
