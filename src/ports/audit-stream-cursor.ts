import type { AuditStreamLag, AuditStreamState } from '../domain/audit-stream.ts';

/** Reading where an audit stream stands (part of the store's reader; see `StoreReader`). */
export interface AuditStreamCursorReader {
  /** The stream's row, or null before its first lease. */
  getAuditStream(name: string): Promise<AuditStreamState | null>;
  /** How far the stream is behind the trail's head (a stream never leased is at 0). Cheap: two indexed reads. */
  getAuditStreamLag(name: string): Promise<AuditStreamLag>;
}

/**
 * The lease and cursor of an audit stream, safe with several instances on one database
 * (part of the store's transaction; see `StoreTx`). Every write is a conditional update on the
 * stream's single row, so at most one holder has a live lease, and the cursor moves only for the
 * holder and only from the position it read.
 */
export interface AuditStreamCursors {
  /**
   * Takes or renews the lease for `holder` until `leaseUntil` when the lease is free, expired at
   * `now`, or already `holder`'s; creates the row (cursor 0) on first use. Returns the stream as
   * it now is, or null when another holder's lease is still live.
   */
  leaseAuditStream(input: { name: string; holder: string; now: Date; leaseUntil: Date }): Promise<AuditStreamState | null>;
  /**
   * Moves the cursor from `fromSeq` to `toSeq` (an acknowledged batch) and clears the backoff;
   * only while `holder` is still the one named on the lease and the cursor is still at `fromSeq`
   * (a lease that ran out but nobody took is still the holder's: nobody else has sent since).
   * Returns whether it did.
   */
  advanceAuditStream(input: { name: string; holder: string; fromSeq: number; toSeq: number; deliveredAt: Date }): Promise<boolean>;
  /** Records a failed delivery (attempts in a row, next attempt not before); only for `holder`. */
  deferAuditStream(input: { name: string; holder: string; attempts: number; nextAttemptAt: Date }): Promise<boolean>;
  /** Ends `holder`'s lease at `now` (clean shutdown), so another instance can take over at once. */
  releaseAuditStream(input: { name: string; holder: string; now: Date }): Promise<boolean>;
}
