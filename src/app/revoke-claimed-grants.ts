import { backoffDelayMs } from '../domain/backoff.ts';
import { isElevateError } from '../domain/errors.ts';
import type { Grant } from '../domain/grant.ts';
import type { GrantDeps } from './deps.ts';
import { describeError } from './describe-error.ts';

export type EndGrantResult =
  | { kind: 'revoked'; grant: Grant }
  /** The AS could not be reached or refused; the grant stays `revoking` and is retried with backoff. */
  | { kind: 'revocation_pending'; grant: Grant }
  /** Already ended, never issued, or finished by someone else: nothing was done. */
  | { kind: 'unchanged'; grant: Grant };

/** What the AS said for each grant of a batch. */
export interface RevocationOutcomes {
  succeeded: Grant[];
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
export async function revokeAtAuthorizationServer(deps: Pick<GrantDeps, 'issuer' | 'cipher' | 'logger'>, grants: readonly Grant[], concurrency: number): Promise<RevocationOutcomes> {
  const { issuer, cipher, logger } = deps;
  const outcomes: RevocationOutcomes = { succeeded: [], failed: [] };
  await runWithConcurrency(grants, concurrency, async (grant) => {
    try {
      if (grant.tokenSealed !== null) await issuer.revoke(cipher.open(grant.tokenSealed, grant.id));
      outcomes.succeeded.push(grant);
    } catch (error) {
      const code = isElevateError(error) ? error.code : 'internal';
      logger.warn({ grant_id: grant.id, request_id: grant.requestId, err: describeError(error) }, 'revocation failed; will retry');
      outcomes.failed.push({ grant, code });
    }
  });
  return outcomes;
}

/**
 * The bookkeeping half: every confirmed revocation in one transaction (token erased, lag
 * recorded, one audit event each), and every failure with its next attempt after a backoff.
 */
export async function recordRevocationOutcomes(deps: Pick<GrantDeps, 'store' | 'clock' | 'logger'>, outcomes: RevocationOutcomes): Promise<EndGrantResult[]> {
  const { store, clock, logger } = deps;
  const { succeeded, failed } = outcomes;
  const results: EndGrantResult[] = [];
  const now = clock.now();
  if (succeeded.length > 0) {
    const byId = new Map(succeeded.map((grant) => [grant.id, grant]));
    const changed = await store.transaction(async (tx) => {
      const ids = await tx.markGrantsRevoked([...byId.keys()], now);
      await tx.appendAudits(
        ids.map((id) => {
          const grant = byId.get(id)!;
          return { type: 'grant.revoked' as const, actor: 'system', requestId: grant.requestId, grantId: id, data: { reason: grant.endReason, lagMs: now.getTime() - grant.endsAt.getTime() } };
        }),
      );
      return new Set(ids);
    });
    for (const grant of succeeded) {
      if (!changed.has(grant.id)) {
        results.push({ kind: 'unchanged', grant: (await store.getGrant(grant.id)) ?? grant });
        continue;
      }
      const revoked: Grant = { ...grant, status: 'revoked', tokenSealed: null, revokedAt: now, revocationLagMs: now.getTime() - grant.endsAt.getTime(), nextAttemptAt: null, lastError: null };
      logger.info({ grant_id: grant.id, request_id: grant.requestId, reason: grant.endReason, lag_ms: revoked.revocationLagMs }, 'grant revoked');
      results.push({ kind: 'revoked', grant: revoked });
    }
  }
  if (failed.length > 0) {
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

export async function runWithConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}
