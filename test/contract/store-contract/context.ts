import type { Clock } from '../../../src/domain/clock.ts';
import type { ElevationRequest } from '../../../src/domain/request.ts';
import type { DueGrantLocks } from '../../../src/ports/due-grants.ts';
import type { Store, StoreTx } from '../../../src/ports/store.ts';
import { aPrincipal, aRequest, aScope, T0 } from '../../support/builders.ts';

/** What each section of the contract gets: the store under test (fresh per test) and its clock. */
export interface ContractContext {
  readonly store: ContractStore;
  readonly clock: SettableClock;
}

/** A store whose transactions also let the sweeper claim due grants. */
export type ContractStore = Store & { transaction<T>(work: (tx: StoreTx & DueGrantLocks) => Promise<T>): Promise<T> };

export class SettableClock implements Clock {
  private current = T0;

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(date: Date): void {
    this.current = date;
  }

  reset(): void {
    this.current = T0;
  }
}

/** Runs writes in their own transaction. */
export function write<T>(store: ContractStore, work: (tx: StoreTx & DueGrantLocks) => Promise<T>): Promise<T> {
  return store.transaction(work);
}

/** Stores the default scope and principals and the given requests, which then exist for grants, reviews and messages. */
export async function seedRequests(store: ContractStore, ...requests: ElevationRequest[]): Promise<ElevationRequest[]> {
  await write(store, async (tx) => {
    await tx.putScope(aScope());
    for (const id of ['alice', 'bob', 'carol']) await tx.putPrincipal(aPrincipal({ id }));
    for (const request of requests) await tx.insertRequest(request);
  });
  return requests;
}

export async function seedRequest(store: ContractStore, overrides: Partial<ElevationRequest> = {}): Promise<ElevationRequest> {
  const [request] = await seedRequests(store, aRequest(overrides));
  return request!;
}
