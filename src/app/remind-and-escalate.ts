import { escalationDueAt, reminderDueAt, type ScopeDefinition } from '../domain/scope.ts';
import type { ElevationRequest } from '../domain/request.ts';
import type { CoreDeps } from './deps.ts';

/** What one sweep did to a pending request: reminded its reviewers, or escalated it. */
export interface FollowUp {
  kind: 'reminded' | 'escalated';
  request: ElevationRequest;
}

/** Pending requests looked at per sweep; there are few at any moment (each expires within its TTL). */
const MAX_PENDING_PER_SWEEP = 5_000;

/**
 * The sweeper's step for undecided requests: each one gets its one reminder once the scope's
 * `remind_after` has passed (default: half its pending TTL), and, when the scope escalates, is
 * escalated once `escalate_to.after` has passed. Each is recorded on the request (`remindedAt`,
 * `escalatedAt`) under the request's row lock, with its audit event, so with several instances
 * sweeping one database it happens once, and a restart neither repeats nor forgets it.
 *
 * Returns what this call recorded; the caller then says it in chat. Recorded first and said
 * after, a crash in between loses the chat message, never repeats it (at most once).
 */
export async function remindAndEscalate(deps: Pick<CoreDeps, 'store' | 'clock'>): Promise<FollowUp[]> {
  const { store, clock } = deps;
  const now = clock.now();
  const pending = await store.listRequests({ statuses: ['pending'], limit: MAX_PENDING_PER_SWEEP });
  const scopes = new Map<string, ScopeDefinition | null>();
  const done: FollowUp[] = [];
  for (const candidate of pending) {
    // About to expire: the expiry (this sweep or the next) says more than a reminder would.
    if (candidate.pendingUntil.getTime() <= now.getTime()) continue;
    if (!scopes.has(candidate.scopeName)) scopes.set(candidate.scopeName, await store.getScope(candidate.scopeName));
    const scope = scopes.get(candidate.scopeName);
    if (!scope) continue;
    for (const kind of dueFollowUps(scope, candidate, now)) {
      const request = await record(deps, candidate.id, scope, kind, now);
      if (request) done.push({ kind, request });
    }
  }
  return done;
}

/** Which follow-ups are due for a request now: the reminder first, then the escalation. */
export function dueFollowUps(scope: ScopeDefinition, request: ElevationRequest, now: Date): FollowUp['kind'][] {
  const due: FollowUp['kind'][] = [];
  if (request.remindedAt === null && reminderDueAt(scope, request.createdAt).getTime() <= now.getTime()) due.push('reminded');
  const escalateAt = escalationDueAt(scope, request.createdAt);
  if (request.escalatedAt === null && escalateAt !== null && escalateAt.getTime() <= now.getTime()) due.push('escalated');
  return due;
}

async function record(deps: Pick<CoreDeps, 'store'>, requestId: string, scope: ScopeDefinition, kind: FollowUp['kind'], now: Date): Promise<ElevationRequest | null> {
  return deps.store.transaction(async (tx) => {
    const request = await tx.lockRequest(requestId);
    // Decided meanwhile, or another instance got here first: nothing to do.
    if (!request || request.status !== 'pending') return null;
    if ((kind === 'reminded' ? request.remindedAt : request.escalatedAt) !== null) return null;
    const patch = kind === 'reminded' ? { remindedAt: now } : { escalatedAt: now };
    if (!(await tx.updateRequest(request.id, 'pending', patch))) return null;
    const data =
      kind === 'reminded'
        ? { after: Math.round((now.getTime() - request.createdAt.getTime()) / 1000) }
        : { channels: scope.escalation?.channels ?? [], approvers: scope.escalation?.approvers ?? [] };
    await tx.appendAudit({ type: kind === 'reminded' ? 'request.reminded' : 'request.escalated', actor: 'system', requestId: request.id, data });
    return { ...request, ...patch };
  });
}
