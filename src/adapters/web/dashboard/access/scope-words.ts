import { formatDuration } from '../../../../domain/duration.ts';
import type { ScopeDefinition } from '../../../../domain/scope.ts';
import { plural } from '../../../../app/chat/phrases/parts.ts';

/** A scope's policy in a sentence or two, as a requester needs it before asking. */
export function scopePolicyWords(scope: ScopeDefinition): string {
  const parts = [
    `Up to ${formatDuration(scope.maxDurationSec)} (default ${formatDuration(scope.defaultDurationSec)}).`,
    `Needs ${plural(scope.approvalsRequired, 'approval')} from its reviewers within ${formatDuration(scope.pendingTtlSec)}.`,
  ];
  if (scope.mfa?.requester) parts.push(`You verify with a multi-factor sign-in (within ${formatDuration(scope.mfa.maxAgeSec)}) before the token is issued.`);
  if (scope.mfa?.approver) parts.push('Approvers verify with a multi-factor sign-in.');
  if (scope.reasonPattern) parts.push(`The reason must match ${scope.reasonPattern}.`);
  return parts.join(' ');
}
