import type { Grant } from '../domain/grant.ts';

/** What one claim took: grants that just ended (now `revoking`) and revocations due a retry. */
export interface ClaimedGrants {
  ending: Grant[];
  retrying: Grant[];
}

/**
 * Finding the sweeper's work, safe with several instances on one database.
 * (Part of the store's transaction; see `StoreTx`.)
 */
export interface DueGrantLocks {
  /**
   * Claims up to `limit` due grants for this sweeper until `leaseUntil`, and returns them as
   * they now are. Revocations due a retry come first (`revoking` with `nextAttemptAt <= now`: a
   * failure whose backoff is over, or a lease left behind by a crashed instance), oldest end
   * first; then `active` grants with `endsAt <= now`, oldest end first, which become `revoking`
   * with end reason `expired`. Both get `nextAttemptAt = leaseUntil`. Rows another transaction
   * holds are skipped, not waited for (`FOR UPDATE SKIP LOCKED`), so concurrent sweepers take
   * disjoint batches.
   */
  claimDueGrants(input: { now: Date; limit: number; leaseUntil: Date }): Promise<ClaimedGrants>;
}
