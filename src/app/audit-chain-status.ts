import { AuditChainVerifier, type AuditKey, type AuditVerification } from '../domain/audit.ts';
import type { Clock } from '../domain/clock.ts';
import type { StoreReader } from '../ports/store.ts';

/** A verification of the whole chain and when it was made. */
export interface ChainStatus {
  verification: AuditVerification;
  checkedAt: Date;
}

/** How long a pass over the whole trail stands before the next page view makes a new one. */
export const CHAIN_STATUS_TTL_MS = 30_000;
const PAGE_SIZE = 1000;

/**
 * The chain's verification over the whole trail, for the audit page. Re-hashing every record
 * takes seconds on a large trail, so a pass is kept: for {@link CHAIN_STATUS_TTL_MS} a page view
 * only verifies the records appended since (continuing the same chain), and after that, or once
 * a pass found the chain broken, it starts again from the first record. Concurrent views share
 * one verification in flight.
 *
 * The head is read before the records, and only records up to it are verified: a record appended
 * during the pass is left for the next one instead of looking like a trail longer than its head.
 */
export class AuditChainStatus {
  private pass: { verifier: AuditChainVerifier; lastSeq: number; startedAt: number } | null = null;
  private last: ChainStatus | null = null;
  private inFlight: Promise<ChainStatus> | null = null;

  constructor(
    private readonly store: StoreReader,
    private readonly clock: Clock,
    private readonly keys: readonly AuditKey[] = [],
    private readonly ttlMs = CHAIN_STATUS_TTL_MS,
  ) {}

  current(): Promise<ChainStatus> {
    this.inFlight ??= this.refresh().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async refresh(): Promise<ChainStatus> {
    const now = this.clock.now();
    const head = await this.store.getAuditHead();
    const expired = this.pass === null || now.getTime() - this.pass.startedAt >= this.ttlMs || this.last?.verification.ok !== true;
    if (expired) this.pass = { verifier: new AuditChainVerifier(this.keys), lastSeq: 0, startedAt: now.getTime() };
    const pass = this.pass!;
    const headSeq = head?.seq ?? 0;
    while (pass.lastSeq < headSeq) {
      const page = await this.store.listAudit(pass.lastSeq, Math.min(PAGE_SIZE, headSeq - pass.lastSeq));
      if (page.length === 0) break;
      let broken = false;
      for (const record of page) {
        if (!pass.verifier.push(record)) {
          broken = true;
          break;
        }
      }
      pass.lastSeq = page.at(-1)!.seq;
      if (broken) break;
    }
    this.last = { verification: pass.verifier.finish(head), checkedAt: now };
    return this.last;
  }
}

const perStore = new WeakMap<StoreReader, AuditChainStatus>();

/** The one {@link AuditChainStatus} of a store (its keys fixed by the first caller, as the store's are). */
export function auditChainStatusOf(store: StoreReader, clock: Clock, keys: readonly AuditKey[] = []): AuditChainStatus {
  let status = perStore.get(store);
  if (!status) perStore.set(store, (status = new AuditChainStatus(store, clock, keys)));
  return status;
}
