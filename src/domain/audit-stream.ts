/**
 * Where one audit stream stands, as the store keeps it. The cursor only moves forward, and only
 * when the receiver acknowledged every record up to it; the lease names the one instance that
 * may send, until `leaseUntil`.
 */
export interface AuditStreamState {
  name: string;
  /** The highest `seq` the receiver acknowledged; 0 when nothing was acknowledged yet. */
  cursorSeq: number;
  holder: string | null;
  leaseUntil: Date | null;
  /** Failed deliveries in a row since the last acknowledged one. */
  attempts: number;
  /** Not before this instant is the next delivery tried (backoff); null: at once. */
  nextAttemptAt: Date | null;
  /** When the receiver last acknowledged a batch. */
  deliveredAt: Date | null;
}

/** How far a stream is behind the trail: what a gauge of the stream's lag is made of. */
export interface AuditStreamLag {
  cursorSeq: number;
  headSeq: number;
  /** Records appended but not yet acknowledged: `headSeq − cursorSeq`. */
  behind: number;
  /** When the oldest record not yet acknowledged was appended; null when nothing is behind. */
  oldestUnsentAt: Date | null;
}

/** The one stream there is today: the webhook of AUDIT_WEBHOOK_URL. */
export const AUDIT_WEBHOOK_STREAM = 'webhook';
