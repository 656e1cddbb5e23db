import type { AuditKey, AuditVerification } from '../domain/audit.ts';
import type { Clock } from '../domain/clock.ts';
import type { StoreReader } from '../ports/store.ts';
import { verifyAuditTrail } from './verify-audit-trail.ts';

/** A verification of the whole chain and when it was made. */
export interface ChainStatus {
  verification: AuditVerification;
  checkedAt: Date;
}

/** How long one verification of the whole trail is shown before the next page view makes a new one. */
export const CHAIN_STATUS_TTL_MS = 30_000;

/**
 * The chain's verification over the whole trail, for the audit page. Verifying re-reads and
 * re-hashes every record, which on a large trail takes seconds, so a result is reused for
 * {@link CHAIN_STATUS_TTL_MS} (the page shows when it was made) and concurrent page views share
 * one verification in flight. A result is never reused once the trail has grown past it.
 */
export class AuditChainStatus {
  private last: ChainStatus | null = null;
  private inFlight: Promise<ChainStatus> | null = null;

  constructor(
    private readonly store: StoreReader,
    private readonly clock: Clock,
    private readonly keys: readonly AuditKey[] = [],
    private readonly ttlMs = CHAIN_STATUS_TTL_MS,
  ) {}

  async current(): Promise<ChainStatus> {
    const head = await this.store.getAuditHead();
    const last = this.last;
    const fresh = last !== null && this.clock.now().getTime() - last.checkedAt.getTime() < this.ttlMs;
    const covered = last !== null && (head?.seq ?? 0) <= coveredSeq(last.verification);
    if (fresh && covered) return last;
    this.inFlight ??= verifyAuditTrail(this.store, this.keys)
      .then((verification) => (this.last = { verification, checkedAt: this.clock.now() }))
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }
}

/** The last record a verification speaks for: the head when intact, everything when broken. */
function coveredSeq(verification: AuditVerification): number {
  return verification.ok ? verification.headSeq : Number.POSITIVE_INFINITY;
}

const perStore = new WeakMap<StoreReader, AuditChainStatus>();

/** The one {@link AuditChainStatus} of a store (its keys fixed by the first caller, as the store's are). */
export function auditChainStatusOf(store: StoreReader, clock: Clock, keys: readonly AuditKey[] = []): AuditChainStatus {
  let status = perStore.get(store);
  if (!status) perStore.set(store, (status = new AuditChainStatus(store, clock, keys)));
  return status;
}
