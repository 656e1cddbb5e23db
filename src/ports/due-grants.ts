import type { Grant } from '../domain/grant.ts';

/**
 * Finding the sweeper's work, safe with several instances on one database.
 * (Part of the store's transaction; see `StoreTx`.)
 */
export interface DueGrantLocks {
  /**
   * Locks and returns up to `limit` due grants, oldest end first: `active` with
   * `endsAt <= now`, or `revoking` with `nextAttemptAt <= now` (a retry that is due, or a lease
   * left behind by a crashed instance). Rows another transaction holds are skipped, not waited
   * for (`FOR UPDATE SKIP LOCKED`), so concurrent sweepers take disjoint batches.
   */
  lockDueGrants(input: { now: Date; limit: number }): Promise<Grant[]>;
}
