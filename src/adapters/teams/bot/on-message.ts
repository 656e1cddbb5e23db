import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Actor } from '../../../app/actor.ts';
import { listMappingsAsAdmin } from '../../../app/chat/admin-catalogue.ts';
import { resendStepUpLink } from '../../../app/chat/resend-step-up-link.ts';
import { cancelFromChat } from '../../../app/chat/cancel-from-chat.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { endGrantFromChat } from '../../../app/chat/end-grant-from-chat.ts';
import { endGrantPhrase } from '../../../app/chat/phrases/end-grant-phrase.ts';
import { mapChannel, unmapChannelScopes } from '../../../app/chat/map-channel.ts';
import { listMyElevations } from '../../../app/chat/my-elevations.ts';
import { requestFormScopes } from '../../../app/chat/request-form-scopes.ts';
import { submitRequest } from '../../../app/chat/submit-request.ts';
import { submitExtension } from '../../../app/chat/submit-extension.ts';
import { submitBreakGlass } from '../../../app/chat/submit-break-glass.ts';
import { breakGlassConfirmationPhrase } from '../../../app/chat/phrases/break-glass-phrase.ts';
import { teamsHelpText } from '../commands/help-text.ts';
import { parseTeamsCommand, type TeamsCommand } from '../commands/parse-command.ts';
import { typedText } from '../commands/typed-text.ts';
import { teamsActor, teamsUserId } from '../identity.ts';
import { followUpLaneOf } from '../../../app/chat/commands/follow-up-lane.ts';
import { busyPhrase } from '../../../app/chat/phrases/busy-phrase.ts';
import { rememberSafely } from './remember-conversation.ts';
import { plainText } from '../render/phrase-runs.ts';
import { describeMappings, describeMyElevations, describeSubmitResult } from '../render/replies.ts';
import { renderRequestFormCard } from '../render/request-form-card.ts';
import { channelIdOf, conversationKind, replyPlain, type TeamsHandlerContext } from './handler-context.ts';

/**
 * A message to the bot. In the 1:1 chat: `elevate …`, `list`, `done`, `cancel`, `help`. In a
 * team channel (where Teams only delivers messages that @mention the bot): the admin commands
 * that map that channel. Group chats get a pointer to the 1:1 chat: requests are personal.
 *
 * Help and mistakes are answered in the turn (no store work). Everything else runs in a follow-up
 * lane after Teams has its answer, so a burst leaves a bounded backlog (new requests in one lane,
 * `done`/`cancel` in the decisions lane), and its answer is a reply sent when ready. A full lane
 * is answered at once that nothing was stored and to try again.
 */
export async function onMessage(context: TeamsHandlerContext, turn: TurnContext): Promise<void> {
  const activity = turn.activity;
  if (activity.value !== undefined && !activity.text) return void (await rememberSafely(context, activity)); // an Action.Submit from an old card; nothing to do
  const command = parseTeamsCommand(typedText({ text: activity.text, entities: activity.entities, recipientId: activity.recipient?.id }));
  if (command.kind === 'help' || command.kind === 'invalid') {
    await rememberSafely(context, activity);
    if (command.kind === 'help') return void (await turn.sendActivity({ type: 'message', text: teamsHelpText(), textFormat: 'markdown' }));
    return replyPlain(turn, command.problem);
  }
  const reply = replyLater(context, activity);
  const accepted = context.work.lane(followUpLaneOf(command)).run(`message ${command.kind}`, async () => {
    await rememberSafely(context, activity);
    await runMessage(context, activity, command, reply);
  });
  if (!accepted) await replyPlain(turn, plainText(busyPhrase()));
}

/** Sends an answer to `activity` once the turn is over (see `TeamsChatPlatform.replyTo`). */
type ReplyLater = (outgoing: Partial<Activity>) => Promise<void>;

function replyLater(context: TeamsHandlerContext, activity: Activity): ReplyLater {
  const where = conversationKind(activity) === 'channel' ? { kind: 'channel' as const, key: channelIdOf(activity) } : { kind: 'personal' as const, key: teamsUserId(activity.from) };
  return (outgoing) => context.platform.replyTo(activity, where, outgoing);
}

const plain = (text: string): Partial<Activity> => ({ type: 'message', text, textFormat: 'plain' });

async function runMessage(context: TeamsHandlerContext, activity: Activity, command: TeamsCommand, reply: ReplyLater): Promise<void> {
  const kind = conversationKind(activity);
  const actor = teamsActor(activity.from);
  try {
    if (kind === 'channel') return await reply(plain(await runChannelCommand(context, command, actor, channelIdOf(activity))));
    if (kind !== 'personal') return await reply(plain('Requests are personal: open a 1:1 chat with me and send `elevate <scope> <duration> <reason>` there.'));
    if (command.kind === 'open_form') {
      const scopes = await requestFormScopes(context.deps, actor);
      await reply({ type: 'message', attachments: [CardFactory.adaptiveCard(renderRequestFormCard(scopes))] });
      return;
    }
    const answer = await runPersonalCommand(context, command, actor, (text) => reply(plain(text)));
    if (answer !== null) await reply(plain(answer));
  } catch (error) {
    await reply(plain(describeFailureForPerson(error)));
  }
}

/** The answer to a command, or null when it was already given through `reply` (a request's confirmation takes its place among the request's notices). */
async function runPersonalCommand(context: TeamsHandlerContext, command: TeamsCommand, actor: Actor, reply: (text: string) => Promise<void>): Promise<string | null> {
  const { deps } = context;
  switch (command.kind) {
    case 'request':
      await submitRequest(deps, { actor, scopeName: command.scopeName, duration: command.duration, reason: command.reason, source: 'teams' }, (result) => reply(describeSubmitResult(result)));
      return null;
    case 'extend': {
      const input = { actor, grantId: command.grantId, duration: command.duration, ...(command.reason === null ? {} : { reason: command.reason }), source: 'teams' as const };
      await submitExtension(deps, input, (result) => reply(describeSubmitResult(result)));
      return null;
    }
    case 'break_glass': {
      const input = { actor, scopeName: command.scopeName, duration: command.duration, reason: command.reason, source: 'teams' as const };
      await submitBreakGlass(deps, input, (result) => reply(plainText(breakGlassConfirmationPhrase(result.request, result.scope.name, result.published?.posted.length ?? 0))));
      return null;
    }
    case 'list':
      return describeMyElevations(await listMyElevations(deps.store, actor));
    case 'done': {
      return plainText(endGrantPhrase(await endGrantFromChat(deps, command.grantId, actor)));
    }
    case 'cancel':
      return `Request ${(await cancelFromChat(deps, command.requestId, actor)).id} is cancelled.`;
    case 'verify': {
      const { delivered } = await resendStepUpLink(deps, command.requestId, actor);
      return delivered > 0 ? '🔒 I sent you a new link in this chat. It works once, for 10 minutes.' : 'I made a new link but could not send it to you; try again in a moment.';
    }
    case 'admin_map':
    case 'admin_unmap':
    case 'admin_mappings':
      return 'Reviewer channels are mapped from inside the channel: add me to the team, then mention me there with `admin map <scope>`.';
    default:
      return teamsHelpText();
  }
}

async function runChannelCommand(context: TeamsHandlerContext, command: TeamsCommand, actor: Actor, channelId: string): Promise<string> {
  const { deps } = context;
  switch (command.kind) {
    case 'admin_map': {
      const { changed } = await mapChannel(deps, { actor, mapping: { platform: 'teams', channelId, scopeName: command.scopeName } });
      return changed ? `✅ Requests for ${command.scopeName} now come to this channel.` : `This channel already reviews ${command.scopeName}.`;
    }
    case 'admin_unmap': {
      const removed = await unmapChannelScopes(deps, { actor, platform: 'teams', channelId, scopeName: command.scopeName });
      if (removed.length === 0) return command.scopeName === null ? 'This channel reviews no scope; nothing changed.' : `This channel does not review ${command.scopeName}; nothing changed.`;
      return `Requests for ${removed.join(', ')} no longer come to this channel.`;
    }
    case 'admin_mappings':
      return describeMappings(await listMappingsAsAdmin(deps.store, actor), channelId);
    default:
      return 'In a channel I only take admin commands (`admin map <scope>`, `admin unmap`, `admin mappings`). Ask for access in a 1:1 chat with me, so your reason and token stay private.';
  }
}
