import type { MyElevations } from '../../../app/chat/my-elevations.ts';
import type { SubmitResult } from '../../../app/chat/submit-request.ts';
import { formatDuration } from '../../../domain/duration.ts';
import type { ChannelMapping } from '../../../domain/principal.ts';
import type { ScopeDefinition } from '../../../domain/scope.ts';
import { escapeMrkdwn, slackDate, truncate } from './escape.ts';
import { SLACK_LIMITS } from './limits.ts';

const MAX_LINES = 40;

/** What the requester sees right after `/elevate <scope> <duration> <reason>` (or the form). */
export function describeSubmitResult(result: SubmitResult): string {
  const { request, scope, decision, published } = result;
  const what = request.extendsGrantId
    ? `an extension of *${escapeMrkdwn(scope.name)}* by ${formatDuration(request.durationSec)} (\`${escapeMrkdwn(request.id)}\`)`
    : `*${escapeMrkdwn(scope.name)}* for ${formatDuration(request.durationSec)} (\`${escapeMrkdwn(request.id)}\`)`;
  if (decision.outcome === 'auto_deny') return `:no_entry: Your request for ${what} was denied automatically: ${escapeMrkdwn(decision.reason)}`;
  if (decision.outcome === 'auto_approve') return `:white_check_mark: Your request for ${what} was approved automatically by policy. Your token is waiting in a direct message from me.`;
  const posted = published?.posted ?? [];
  if (posted.length === 0) {
    return `:warning: Your request for ${what} is stored, but no reviewer channel could be reached${published?.failed.length ? ` (${published.failed.map((f) => escapeMrkdwn(f.reason)).join(', ')})` : ''}. Ask an admin to check the channel mapping and that I am invited to the channel.`;
  }
  const where = posted.map((p) => (p.platform === 'slack' ? `<#${p.channelId}>` : `a ${p.platform} channel`)).join(', ');
  return `:outbox_tray: Your request for ${what} was sent to the reviewers in ${where}. It needs ${request.approvalsRequired} approval${request.approvalsRequired === 1 ? '' : 's'}; I’ll tell you here when it is decided.`;
}

export function describeMyElevations(mine: MyElevations, command: string): string {
  if (mine.pending.length === 0 && mine.active.length === 0) return `You have no pending requests and no active grants. Ask for one with \`${command} <scope> <duration> <reason>\`.`;
  const lines: string[] = [];
  if (mine.pending.length > 0) {
    lines.push('*Pending requests*');
    for (const r of mine.pending) lines.push(`• \`${escapeMrkdwn(r.id)}\` *${escapeMrkdwn(r.scopeName)}* for ${formatDuration(r.durationSec)} — expires ${slackDate(r.pendingUntil)}`);
  }
  if (mine.active.length > 0) {
    lines.push('*Active grants*');
    for (const { grant, request } of mine.active) {
      const state = grant.status === 'active' ? `until ${slackDate(grant.endsAt)}` : grant.status === 'issuing' ? 'being issued' : 'being revoked';
      lines.push(`• \`${escapeMrkdwn(grant.id)}\` *${escapeMrkdwn(request.scopeName)}* ${state}`);
    }
    lines.push(`End one now with \`${command} done <grant id>\`.`);
  }
  return cap(lines);
}

export function describeMappings(mappings: ChannelMapping[]): string {
  if (mappings.length === 0) return 'No reviewer channel is mapped to any scope yet.';
  return cap(['*Reviewer channels*', ...mappings.map((m) => `• ${m.platform === 'slack' ? `<#${m.channelId}>` : `${m.platform} ${escapeMrkdwn(m.channelId)}`} → *${escapeMrkdwn(m.scopeName)}*`)]);
}

export function describeScopes(scopes: ScopeDefinition[]): string {
  if (scopes.length === 0) return 'No scope is defined yet.';
  return cap([
    '*Scopes*',
    ...scopes.map(
      (s) =>
        `• *${escapeMrkdwn(s.name)}* — ${escapeMrkdwn(truncate(s.description, 120))} (\`${escapeMrkdwn(s.oauthScope)}\` at ${escapeMrkdwn(s.audience)}; max ${formatDuration(s.maxDurationSec)}; ${s.approvalsRequired} approval${s.approvalsRequired === 1 ? '' : 's'} from ${escapeMrkdwn(s.approvers.join(', ') || 'nobody')})`,
    ),
  ]);
}

function cap(lines: string[]): string {
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `…and ${lines.length - MAX_LINES} more.`] : lines;
  return truncate(shown.join('\n'), SLACK_LIMITS.sectionText);
}
