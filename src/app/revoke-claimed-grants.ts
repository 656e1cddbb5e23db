import { backoffDelayMs } from '../domain/backoff.ts';
import { isElevateError } from '../domain/errors.ts';
import type { Grant } from '../domain/grant.ts';
import type { GrantDeps } from './deps.ts';
import { runWithConcurrency } from '../shared/run-with-concurrency.ts';
import { describeError } from './describe-error.ts';

export type EndGrantResult =
  | { kind: 'revoked'; grant: Grant }
  /** The AS could not be reached or refused; the grant stays `revoking` and is retried with backoff. */
  | { kind: 'revocation_pending'; grant: Grant }
  /** Already ended, never issued, or finished by someone else: nothing was done. */
  | { kind: 'unchanged'; grant: Grant };

/** What the AS said for each grant of a batch; a confirmation carries the moment it arrived. */
export interface RevocationOutcomes {
  succeeded: { grant: Grant; confirmedAt: Date }[];
  failed: { grant: Grant; code: string }[];
}

/**
 * Revokes grants already marked `revoking` (by the caller, who holds them under a lease): calls
 * the AS for each, `concurrency` at a time, then records the outcomes. Safe to repeat after a
 * crash: RFC 7009 revocation is idempotent at the AS, and the recording is a compare-and-set on
 * `revoking`.
 */
export async function revokeClaimedGrants(deps: GrantDeps, grants: readonly Grant[], concurrency: number): Promise<EndGrantResult[]> {
  return recordRevocationOutcomes(deps, await revokeAtAuthorizationServer(deps, grants, concurrency));
}

/** The external half: one RFC 7009 call per grant. Never throws; failures are outcomes. */
async function revokeAtAuthorizationServer(deps: RevokeDeps, grants: readonly Grant[], concurrency: number): Promise<RevocationOutcomes> {
  const outcomes: RevocationOutcomes = { succeeded: [], failed: [] };
  await runWithConcurrency(grants, concurrency, async (grant) => addOutcome(outcomes, await revokeOneAtAuthorizationServer(deps, grant)));
  return outcomes;
}

type RevokeDeps = Pick<GrantDeps, 'issuer' | 'cipher' | 'logger' | 'clock'>;
export type RevocationOutcome = { grant: Grant; confirmedAt: Date } | { grant: Grant; code: string };

/** One RFC 7009 call. Never throws: a failure is an outcome with the error's code. */
export async function revokeOneAtAuthorizationServer(deps: RevokeDeps, grant: Grant): Promise<RevocationOutcome> {
  try {
    if (grant.tokenSealed !== null) await deps.issuer.revoke(deps.cipher.open(grant.tokenSealed, grant.id));
    return { grant, confirmedAt: deps.clock.now() };
  } catch (error) {
    deps.logger.warn({ grant_id: grant.id, request_id: grant.requestId, err: describeError(error) }, 'revocation failed; will retry');
    return { grant, code: isElevateError(error) ? error.code : 'internal' };
  }
}

export function addOutcome(outcomes: RevocationOutcomes, outcome: RevocationOutcome): void {
  if ('confirmedAt' in outcome) outcomes.succeeded.push(outcome);
  else outcomes.failed.push(outcome);
}

/**
 * The bookkeeping half: every confirmed revocation in one transaction (token erased, the AS's
 * confirmation time and the lag from the grant's end recorded, one audit event each), and every
 * failure with its next attempt after a backoff.
 */
export async function recordRevocationOutcomes(deps: Pick<GrantDeps, 'store' | 'clock' | 'logger' | 'metrics'>, outcomes: RevocationOutcomes): Promise<EndGrantResult[]> {
  const { store, clock, logger, metrics } = deps;
  const { succeeded, failed } = outcomes;
  const results: EndGrantResult[] = [];
  if (succeeded.length > 0) {
    const byId = new Map(succeeded.map((outcome) => [outcome.grant.id, outcome]));
    const lagMs = ({ grant, confirmedAt }: { grant: Grant; confirmedAt: Date }) => confirmedAt.getTime() - grant.endsAt.getTime();
    const changed = await store.transaction(async (tx) => {
      const ids = await tx.markGrantsRevoked([...byId.values()].map(({ grant, confirmedAt }) => ({ id: grant.id, revokedAt: confirmedAt })));
      await tx.appendAudits(
        ids.map((id) => {
          const outcome = byId.get(id)!;
          return { type: 'grant.revoked' as const, actor: 'system', requestId: outcome.grant.requestId, grantId: id, data: { reason: outcome.grant.endReason, lagMs: lagMs(outcome) } };
        }),
      );
      return new Set(ids);
    });
    for (const outcome of byId.values()) {
      const { grant, confirmedAt } = outcome;
      if (!changed.has(grant.id)) {
        results.push({ kind: 'unchanged', grant: (await store.getGrant(grant.id)) ?? grant });
        continue;
      }
      const revoked: Grant = { ...grant, status: 'revoked', tokenSealed: null, revokedAt: confirmedAt, revocationLagMs: lagMs(outcome), nextAttemptAt: null, lastError: null };
      logger.info({ grant_id: grant.id, request_id: grant.requestId, reason: grant.endReason, lag_ms: revoked.revocationLagMs }, 'grant revoked');
      metrics?.grantRevoked(grant.endReason ?? 'expired', lagMs(outcome) / 1000);
      results.push({ kind: 'revoked', grant: revoked });
    }
  }
  if (failed.length > 0) {
    const now = clock.now();
    const pending = failed.map(({ grant, code }) => {
      const attempts = grant.revokeAttempts + 1;
      const patch = { revokeAttempts: attempts, nextAttemptAt: new Date(now.getTime() + backoffDelayMs(attempts)), lastError: code };
      return { grant: { ...grant, ...patch }, patch };
    });
    await store.transaction(async (tx) => {
      for (const { grant, patch } of pending) await tx.updateGrant(grant.id, 'revoking', patch);
    });
    for (const { grant } of pending) results.push({ kind: 'revocation_pending', grant });
  }
  return results;
}
