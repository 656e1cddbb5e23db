import { createHash } from 'node:crypto';
import { addSeconds } from '../domain/clock.ts';
import { parseDuration, formatDuration } from '../domain/duration.ts';
import { ElevateError, isElevateError, type ErrorCode } from '../domain/errors.ts';
import { decidePolicy, type PolicyDecision } from '../domain/policy.ts';
import { newRequest, type ElevationRequest, type RequestSource } from '../domain/request.ts';
import { mayRequest, type ScopeDefinition } from '../domain/scope.ts';
import type { Principal } from '../domain/principal.ts';
import type { RequestOutcome } from '../ports/metrics.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor, describeActor } from './actor.ts';
import type { CoreDeps } from './deps.ts';
import { compileReasonPattern } from '../domain/reason-pattern.ts';
import { requesterMustVerify } from '../domain/step-up.ts';
import { appendVerificationRequired } from './step-up/verification-required.ts';

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

/** An API caller's `Idempotency-Key` and a fingerprint of the parameters sent under it. */
export interface IdempotencyInput {
  key: string;
  fingerprint: string;
}

/** What a request asked for, so a key used again for something else is recognised. */
export function requestFingerprint(input: { scopeName: string; duration?: string; reason: string }): string {
  return createHash('sha256').update(JSON.stringify([input.scopeName, input.duration ?? null, input.reason])).digest('base64url');
}

/** A request made under an idempotency key: newly created, or the one the key already names. */
export type IdempotentRequestOutcome = ({ replayed: false } & RequestElevationResult) | { replayed: true; request: ElevationRequest };

/**
 * Validates a request, lets policy decide, and stores it (pending, auto-approved or auto-denied)
 * with its audit events in one transaction. A rejected input stores nothing. With `dryRun`, the
 * same checks in the same order, throwing the same errors, and nothing is written.
 */
export async function requestElevation(deps: CoreDeps, input: RequestElevationInput): Promise<RequestElevationResult>;
export async function requestElevation(deps: CoreDeps, input: RequestElevationInput, options: { dryRun: true }): Promise<RequestElevationCheck>;
export async function requestElevation(deps: CoreDeps, input: RequestElevationInput, options: RequestElevationOptions = {}): Promise<RequestElevationResult | RequestElevationCheck> {
  const outcome = await createRequest(deps, input, null, options.dryRun ?? false);
  if ('checked' in outcome) return outcome.checked;
  if (outcome.replayed) throw new ElevateError('internal', 'A request without an idempotency key was taken for a replay.');
  return outcome;
}

/**
 * {@link requestElevation} for callers that may retry (the HTTP API): the same key and parameters
 * from the same principal name the request the first call created, however many calls arrive at
 * once; the same key with other parameters is refused with `idempotency_key_reused`.
 */
export async function requestElevationIdempotently(deps: CoreDeps, input: RequestElevationInput, idempotency: IdempotencyInput): Promise<IdempotentRequestOutcome> {
  const outcome = await createRequest(deps, input, idempotency, false);
  if ('checked' in outcome) throw new ElevateError('internal', 'A request was only checked where it was to be made.');
  return outcome;
}

/** What each policy decision makes of a request, as `elevate_requests_total` counts it. */
const OUTCOME_OF_DECISION: Record<PolicyDecision['outcome'], RequestOutcome> = { review: 'review', auto_approve: 'auto_approved', auto_deny: 'auto_denied' };

/** Failures that are not the caller's doing: counted as `failed`, every other refusal as `refused`. */
const FAILURE_CODES: ReadonlySet<ErrorCode> = new Set(['internal', 'store_unavailable', 'conflict', 'config_invalid', 'crypto_failed']);

async function createRequest(deps: CoreDeps, input: RequestElevationInput, idempotency: IdempotencyInput | null, dryRun: boolean): Promise<IdempotentRequestOutcome | { checked: RequestElevationCheck }> {
  // The scope label is a configured scope's name once one is found, never the text that was typed.
  const counted = { scope: 'unknown' };
  try {
    const outcome = await checkAndStore(deps, input, idempotency, dryRun, counted);
    if (!('checked' in outcome) && !outcome.replayed) deps.metrics?.requestSubmitted(outcome.scope.name, input.source, OUTCOME_OF_DECISION[outcome.decision.outcome]);
    return outcome;
  } catch (error) {
    if (!dryRun) deps.metrics?.requestSubmitted(counted.scope, input.source, isElevateError(error) && !FAILURE_CODES.has(error.code) ? 'refused' : 'failed');
    throw error;
  }
}

async function checkAndStore(
  deps: CoreDeps,
  input: RequestElevationInput,
  idempotency: IdempotencyInput | null,
  dryRun: boolean,
  counted: { scope: string },
): Promise<IdempotentRequestOutcome | { checked: RequestElevationCheck }> {
  const { store, clock, ids } = deps;
  const requester = await resolveActor(store, input.actor);
  // A retry is answered before validation, so it gets the same request even if the scope changed since.
  const earlier = idempotency ? await findReplay(store, requester.id, idempotency) : null;
  if (earlier) return { replayed: true, request: earlier };
  const scope = await findRequestableScope(store, input.scopeName, requester);
  counted.scope = scope.name;
  refuseUnverifiableRequester(scope, requester);
  const durationSec = validateDuration(scope, input.duration);
  const reason = validateReason(scope, input.reason);
  const now = clock.now();

  return store.transaction(async (tx) => {
    // One request of this person at a time: the per-day count below and the insert must not race.
    await tx.lockPrincipal(requester.id);
    const raced = idempotency ? await findReplay(tx, requester.id, idempotency) : null;
    if (raced) return { replayed: true as const, request: raced };
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
    if (dryRun) return { checked: { scope, requester, durationSec, reason, decision } };
    const request = newRequest({ id: ids.requestId(), scope, requester, durationSec, reason, source: input.source, now });
    if (decision.outcome === 'auto_deny') {
      Object.assign(request, { status: 'auto_denied', decidedAt: now, decisionNote: decision.reason });
    } else if (decision.outcome === 'auto_approve') {
      // Policy approves; a scope that needs requester MFA still waits for the requester's verification.
      const status = requesterMustVerify(scope.mfa, requester.kind) ? 'verifying' : 'auto_approved';
      Object.assign(request, { status, decidedAt: now, decisionNote: 'Approved automatically by policy.' });
    }
    await tx.insertRequest(request);
    if (idempotency) {
      await tx.insertIdempotencyKey({ principalId: requester.id, key: idempotency.key, fingerprint: idempotency.fingerprint, requestId: request.id, createdAt: now });
    }
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
      if (request.status === 'verifying') await appendVerificationRequired(tx, request, scope);
    }
    return { replayed: false as const, request, scope, requester, decision };
  });
}

async function findReplay(store: StoreReader, principalId: string, idempotency: IdempotencyInput): Promise<ElevationRequest | null> {
  const record = await store.findIdempotencyKey(principalId, idempotency.key);
  if (!record) return null;
  if (record.fingerprint !== idempotency.fingerprint) {
    throw new ElevateError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; send a new key for a new request.', {
      details: { requestId: record.requestId },
    });
  }
  const request = await store.getRequest(record.requestId);
  if (!request) throw new ElevateError('internal', 'An idempotency key names a request that does not exist.', { details: { requestId: record.requestId } });
  return request;
}

export async function findRequestableScope(store: StoreReader, name: string, requester: Principal): Promise<ScopeDefinition> {
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

/** A service account cannot sign in with MFA: a scope that needs its requester to verify refuses one, unless it allows them. */
export function refuseUnverifiableRequester(scope: ScopeDefinition, requester: Principal): void {
  if (!scope.mfa?.requester || requester.kind !== 'service' || scope.mfa.allowServiceAccounts) return;
  throw new ElevateError(
    'step_up_unavailable',
    `Scope ${scope.name} requires the requester to verify with multi-factor authentication before the token is issued, and a service account cannot; an admin can set mfa.allow_service_accounts on the scope.`,
    { details: { scope: scope.name, requester: requester.id } },
  );
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

export function validateReason(scope: ScopeDefinition, text: string): string {
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
  if (scope.reasonPattern !== null && !compileReasonPattern(scope.reasonPattern, scope.name).test(reason)) {
    throw new ElevateError(
      'reason_mismatch',
      `The reason for ${scope.name} must match ${scope.reasonPattern} (for example a ticket number).`,
      { details: { scope: scope.name, pattern: scope.reasonPattern } },
    );
  }
  return reason;
}
