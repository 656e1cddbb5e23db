import type { App } from '@slack/bolt';
import { cancelFromChat } from '../../../app/chat/cancel-from-chat.ts';
import { listMappingsAsAdmin, listScopesAsAdmin } from '../../../app/chat/admin-catalogue.ts';
import { describeFailureForPerson } from '../../../app/chat/describe-failure.ts';
import { endGrantFromChat } from '../../../app/chat/end-grant-from-chat.ts';
import { endGrantPhrase } from '../../../app/chat/phrases/end-grant-phrase.ts';
import { mapChannel, unmapChannelScopes } from '../../../app/chat/map-channel.ts';
import { listMyElevations } from '../../../app/chat/my-elevations.ts';
import { resendStepUpLink } from '../../../app/chat/resend-step-up-link.ts';
import { submitRequest } from '../../../app/chat/submit-request.ts';
import { submitExtension } from '../../../app/chat/submit-extension.ts';
import { submitBreakGlass } from '../../../app/chat/submit-break-glass.ts';
import { breakGlassConfirmationPhrase } from '../../../app/chat/phrases/break-glass-phrase.ts';
import { helpText } from '../commands/help-text.ts';
import { parseSlackCommand, type SlackCommand } from '../commands/parse-command.ts';
import { describeMappings, describeMyElevations, describeScopes, describeSubmitResult } from '../render/command-replies.ts';
import { escapeMrkdwn } from '../render/escape.ts';
import { mrkdwn } from '../render/phrase-mrkdwn.ts';
import { openRequestForm } from './request-form.ts';
import { BUSY_TEXT, type SlackHandlerContext } from './handler-context.ts';
import { followUpLaneOf } from '../../../app/chat/commands/follow-up-lane.ts';

/**
 * `/elevate …`. Acknowledged at once: help and syntax mistakes are answered in the
 * acknowledgement itself (no I/O), everything else is acknowledged empty and answered through
 * the command's `response_url` once the store, the AS and the Web API have done their part.
 */
export function registerSlashCommand(app: App, context: SlackHandlerContext): void {
  app.command(context.config.command, async ({ command, ack, respond }) => {
    const parsed = parseSlackCommand(command.text ?? '', context.config.command);
    if (parsed.kind === 'help') return ack({ response_type: 'ephemeral', text: helpText(context.config.command) });
    if (parsed.kind === 'invalid') return ack({ response_type: 'ephemeral', text: parsed.problem });
    const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text }).then(() => undefined);
    // Queued before the acknowledgement, so a full lane is answered in the acknowledgement itself:
    // refused before anything is stored, and the person knows to retry.
    const accepted = context.work.lane(followUpLaneOf(parsed)).run(`command ${parsed.kind}`, async () => {
      try {
        const actor = await context.actorFor(command.user_id);
        if (parsed.kind === 'open_form') return await openRequestForm(context, { actor, triggerId: command.trigger_id });
        const answer = await runCommand(context, parsed, actor, command.channel_id, reply);
        if (answer !== null) await reply(answer);
      } catch (error) {
        await reply(describeFailureForPerson(error));
      }
    });
    if (!accepted) return ack({ response_type: 'ephemeral', text: BUSY_TEXT });
    await ack();
  });
}

function verifyLinkAnswer({ delivered }: { delivered: number }): string {
  return delivered > 0
    ? ':lock: I sent you a new link in a direct message. It works once, for 10 minutes.'
    : 'I made a new link but could not send it to you privately; start a direct message with me and try again.';
}

/**
 * The answer to a command, or null when it was already given through `reply` (a request's
 * confirmation is sent in its place among the request's notices). `typedIn` is the channel the
 * command was typed in; Slack's grammar names the channel of admin commands, so it is only a fallback.
 */
async function runCommand(
  context: SlackHandlerContext,
  command: Exclude<SlackCommand, { kind: 'help' | 'invalid' | 'open_form' }>,
  actor: Awaited<ReturnType<SlackHandlerContext['actorFor']>>,
  typedIn: string,
  reply: (text: string) => Promise<void>,
): Promise<string | null> {
  const { deps, config } = context;
  switch (command.kind) {
    case 'request': {
      await submitRequest(deps, { actor, scopeName: command.scopeName, duration: command.duration, reason: command.reason, source: 'slack' }, (result) => reply(describeSubmitResult(result)));
      return null;
    }
    case 'extend': {
      const input = { actor, grantId: command.grantId, duration: command.duration, ...(command.reason === null ? {} : { reason: command.reason }), source: 'slack' as const };
      await submitExtension(deps, input, (result) => reply(describeSubmitResult(result)));
      return null;
    }
    case 'break_glass': {
      const input = { actor, scopeName: command.scopeName, duration: command.duration, reason: command.reason, source: 'slack' as const };
      await submitBreakGlass(deps, input, (result) => reply(mrkdwn(breakGlassConfirmationPhrase(result.request, result.scope.name, result.published?.posted.length ?? 0))));
      return null;
    }
    case 'list':
      return describeMyElevations(await listMyElevations(deps.store, actor), config.command);
    case 'done': {
      return mrkdwn(endGrantPhrase(await endGrantFromChat(deps, command.grantId, actor)));
    }
    case 'cancel': {
      const request = await cancelFromChat(deps, command.requestId, actor);
      return `Request \`${escapeMrkdwn(request.id)}\` is cancelled.`;
    }
    case 'verify':
      return verifyLinkAnswer(await resendStepUpLink(deps, command.requestId, actor));
    case 'admin_map': {
      const channelId = command.channelId ?? typedIn;
      const { changed } = await mapChannel(deps, { actor, mapping: { platform: 'slack', channelId, scopeName: command.scopeName } });
      return changed
        ? `:white_check_mark: Requests for *${escapeMrkdwn(command.scopeName)}* now go to <#${channelId}>. Invite me to that channel if I am not there yet.`
        : `<#${channelId}> was already a reviewer channel of *${escapeMrkdwn(command.scopeName)}*.`;
    }
    case 'admin_unmap': {
      const channelId = command.channelId ?? typedIn;
      const removed = await unmapChannelScopes(deps, { actor, platform: 'slack', channelId, scopeName: command.scopeName });
      const scopes = command.scopeName === null ? 'any scope' : `*${escapeMrkdwn(command.scopeName)}*`;
      return removed.length > 0
        ? `Requests for ${removed.map((name) => `*${escapeMrkdwn(name)}*`).join(', ')} no longer go to <#${channelId}>.`
        : `<#${channelId}> was not a reviewer channel of ${scopes}; nothing changed.`;
    }
    case 'admin_mappings':
      return describeMappings(await listMappingsAsAdmin(deps.store, actor));
    case 'admin_scopes':
      return describeScopes(await listScopesAsAdmin(deps.store, actor));
  }
}
