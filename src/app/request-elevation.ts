import { addSeconds } from '../domain/clock.ts';
import { parseDuration, formatDuration } from '../domain/duration.ts';
import { ElevateError } from '../domain/errors.ts';
import { decidePolicy, type PolicyDecision } from '../domain/policy.ts';
import type { ElevationRequest, RequestSource } from '../domain/request.ts';
import { mayRequest, type ScopeDefinition } from '../domain/scope.ts';
import type { Principal } from '../domain/principal.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor, describeActor } from './actor.ts';
import type { CoreDeps } from './deps.ts';

export const MAX_REASON_LENGTH = 500;

export interface RequestElevationInput {
  actor: Actor;
  scopeName: string;
  /** Human duration (`1h30m`) or omitted for the scope's default. */
  duration?: string;
  reason: string;
  source: RequestSource;
}

/** What a dry run found: the request would be accepted as this, and policy would decide so. */
export interface RequestElevationCheck {
  scope: ScopeDefinition;
  requester: Principal;
  durationSec: number;
  /** The reason as it would be stored (control characters replaced, trimmed). */
  reason: string;
  decision: PolicyDecision;
}

export interface RequestElevationOptions {
  /**
   * Check everything the request itself checks (scope, permission, duration, reason, policy,
   * reviewer channel) and write nothing: what a form runs before it accepts a submission. The
   * answer holds for now; a request made later is checked again.
   */
  dryRun?: boolean;
}

export interface RequestElevationResult {
  request: ElevationRequest;
  scope: ScopeDefinition;
  requester: Principal;
  decision: PolicyDecision;
}

/**
 * Validates a request, lets policy decide, and stores it (pending, auto-approved or auto-denied)
 * with its audit events in one transaction. A rejected input stores nothing. With `dryRun`, the
 * same checks in the same order, throwing the same errors, and nothing is written.
 */
export async function requestElevation(deps: CoreDeps, input: RequestElevationInput): Promise<RequestElevationResult>;
export async function requestElevation(deps: CoreDeps, input: RequestElevationInput, options: { dryRun: true }): Promise<RequestElevationCheck>;
export async function requestElevation(deps: CoreDeps, input: RequestElevationInput, options: RequestElevationOptions = {}): Promise<RequestElevationResult | RequestElevationCheck> {
  const { store, clock, ids } = deps;
  const requester = await resolveActor(store, input.actor);
  const scope = await findRequestableScope(store, input.scopeName, requester);
  const durationSec = validateDuration(scope, input.duration);
  const reason = validateReason(scope, input.reason);
  const now = clock.now();

  return store.transaction(async (tx) => {
    // One request of this person at a time: the per-day count below and the insert must not race.
    await tx.lockPrincipal(requester.id);
    const requestsInLastDay = await tx.countRequestsSince(requester.id, scope.name, addSeconds(now, -86_400));
    const decision = decidePolicy({ scope, requester, now, requestsInLastDay });
    if (decision.outcome === 'review') {
      const channels = await tx.listChannelMappings({ scopeName: scope.name });
      if (channels.length === 0) {
        throw new ElevateError(
          'no_reviewer_channel',
          `Scope ${scope.name} has no reviewer channel yet, so nobody could approve it. Ask an admin to map a channel to it.`,
          { details: { scope: scope.name } },
        );
      }
    }
    if (options.dryRun) return { scope, requester, durationSec, reason, decision };
    const request: ElevationRequest = {
      id: ids.requestId(),
      scopeName: scope.name,
      requesterId: requester.id,
      durationSec,
      reason,
      source: input.source,
      status: 'pending',
      approvalsRequired: scope.approvalsRequired,
      createdAt: now,
      pendingUntil: addSeconds(now, scope.pendingTtlSec),
      decidedAt: null,
      decisionNote: null,
    };
    if (decision.outcome === 'auto_deny') {
      Object.assign(request, { status: 'auto_denied', decidedAt: now, decisionNote: decision.reason });
    } else if (decision.outcome === 'auto_approve') {
      Object.assign(request, { status: 'auto_approved', decidedAt: now, decisionNote: 'Approved automatically by policy.' });
    }
    await tx.insertRequest(request);
    // An auto-denied attempt must not count as activity, or a dormant account would pass on its second try.
    if (decision.outcome !== 'auto_deny') await tx.putPrincipal({ ...requester, lastSeenAt: now });
    await tx.appendAudit({
      type: 'request.created',
      actor: requester.id,
      requestId: request.id,
      data: { scope: scope.name, duration: formatDuration(durationSec), reason, source: input.source, ...describeActor(input.actor) },
    });
    if (decision.outcome === 'auto_deny') {
      await tx.appendAudit({ type: 'request.auto_denied', actor: 'policy', requestId: request.id, data: { rule: decision.rule, reason: decision.reason } });
    } else if (decision.outcome === 'auto_approve') {
      await tx.appendAudit({ type: 'request.auto_approved', actor: 'policy', requestId: request.id, data: { rule: decision.rule } });
    }
    return { request, scope, requester, decision };
  });
}

async function findRequestableScope(store: StoreReader, name: string, requester: Principal): Promise<ScopeDefinition> {
  const wanted = name.trim();
  const scope = wanted === '' ? null : await store.getScope(wanted);
  const allowed = scope && mayRequest(scope, requester.id) ? scope : null;
  if (allowed) return allowed;
  const requestable = (await store.listScopes()).filter((s) => mayRequest(s, requester.id)).map((s) => s.name);
  const hint = requestable.length > 0 ? ` Scopes you can request: ${requestable.join(', ')}.` : ' You cannot request any scope yet.';
  if (!scope) {
    throw new ElevateError('unknown_scope', `There is no scope called "${wanted.slice(0, 64)}".${hint}`, {
      details: { scope: wanted.slice(0, 64) },
    });
  }
  throw new ElevateError('not_allowed_to_request', `You are not allowed to request ${scope.name}.${hint}`, {
    details: { scope: scope.name, requester: requester.id },
  });
}

function validateDuration(scope: ScopeDefinition, text: string | undefined): number {
  const seconds = text === undefined || text.trim() === '' ? scope.defaultDurationSec : parseDuration(text);
  if (seconds > scope.maxDurationSec) {
    throw new ElevateError(
      'duration_too_long',
      `${formatDuration(seconds)} is longer than ${scope.name} allows; ask for ${formatDuration(scope.maxDurationSec)} or less.`,
      { details: { scope: scope.name, requestedSec: seconds, maxSec: scope.maxDurationSec } },
    );
  }
  return seconds;
}

function validateReason(scope: ScopeDefinition, text: string): string {
  // Control characters would let a reason forge line breaks in logs and exports.
  const reason = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (reason === '') {
    throw new ElevateError('reason_required', 'Say why you need this access: add a reason after the duration.', {
      details: { scope: scope.name },
    });
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw new ElevateError('invalid_input', `The reason is too long (${reason.length} characters); keep it under ${MAX_REASON_LENGTH}.`, {
      details: { scope: scope.name, length: reason.length },
    });
  }
  if (scope.reasonPattern !== null && !new RegExp(scope.reasonPattern).test(reason)) {
    throw new ElevateError(
      'reason_mismatch',
      `The reason for ${scope.name} must match ${scope.reasonPattern} (for example a ticket number).`,
      { details: { scope: scope.name, pattern: scope.reasonPattern } },
    );
  }
  return reason;
}
