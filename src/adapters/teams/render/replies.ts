import type { MyElevations } from '../../../app/chat/my-elevations.ts';
import type { SubmitResult } from '../../../app/chat/submit-request.ts';
import { formatDuration } from '../../../domain/duration.ts';
import type { ChannelMapping } from '../../../domain/principal.ts';
import { utc } from './card-elements.ts';

const MAX_LINES = 40;

/**
 * Replies to commands, as plain text (sent with `textFormat: 'plain'`, so scope names, ids and
 * error messages that echo what someone typed are shown as typed).
 */
export function describeSubmitResult(result: SubmitResult): string {
  const { request, scope, decision, published } = result;
  const what = request.extendsGrantId
    ? `an extension of ${scope.name} by ${formatDuration(request.durationSec)} (${request.id})`
    : `${scope.name} for ${formatDuration(request.durationSec)} (${request.id})`;
  if (decision.outcome === 'auto_deny') return `⛔ Your request for ${what} was denied automatically: ${decision.reason}`;
  if (decision.outcome === 'auto_approve') return `✅ Your request for ${what} was approved automatically by policy. Your token is waiting in this chat behind “Show token”.`;
  const posted = published?.posted ?? [];
  if (posted.length === 0) {
    return `⚠ Your request for ${what} is stored, but no reviewer channel could be reached${published?.failed.length ? ` (${published.failed.map((f) => f.reason).join(', ')})` : ''}. Ask an admin to check the channel mapping and that I am added to the team.`;
  }
  const platforms = [...new Set(posted.map((p) => (p.platform === 'teams' ? 'Teams' : 'Slack')))];
  return `📤 Your request for ${what} was sent to the reviewers (${posted.length} channel${posted.length === 1 ? '' : 's'} in ${platforms.join(' and ')}). It needs ${request.approvalsRequired} approval${request.approvalsRequired === 1 ? '' : 's'}; I’ll tell you here when it is decided.`;
}

export function describeMyElevations(mine: MyElevations): string {
  if (mine.pending.length === 0 && mine.active.length === 0) return 'You have no pending requests and no active grants. Ask for one with: elevate <scope> <duration> <reason>';
  const lines: string[] = [];
  if (mine.pending.length > 0) {
    lines.push('Pending requests:');
    for (const r of mine.pending) lines.push(`• ${r.id} ${r.scopeName} for ${formatDuration(r.durationSec)} — expires ${utc(r.pendingUntil)}`);
  }
  if (mine.active.length > 0) {
    lines.push('Active grants:');
    for (const { grant, request } of mine.active) {
      const state = grant.status === 'active' ? `until ${utc(grant.endsAt)}` : grant.status === 'issuing' ? 'being issued' : 'being revoked';
      lines.push(`• ${grant.id} ${request.scopeName} ${state}`);
    }
    lines.push('End one now with: done <grant id>');
  }
  return cap(lines);
}

export function describeMappings(mappings: ChannelMapping[], here: string): string {
  if (mappings.length === 0) return 'No reviewer channel is mapped to any scope yet.';
  return cap(['Reviewer channels:', ...mappings.map((m) => `• ${m.platform} ${m.channelId}${m.channelId === here ? ' (this channel)' : ''} → ${m.scopeName}`)]);
}

function cap(lines: string[]): string {
  return (lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `…and ${lines.length - MAX_LINES} more.`] : lines).join('\n');
}
