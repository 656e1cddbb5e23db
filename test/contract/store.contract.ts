import { afterEach, beforeEach, describe } from 'vitest';
import type { Clock } from '../../src/domain/clock.ts';
import { auditContract } from './store-contract/audit.ts';
import { auditSearchContract } from './store-contract/audit-search.ts';
import { auditStreamContract } from './store-contract/audit-stream.ts';
import { catalogContract } from './store-contract/catalog.ts';
import { concurrencyContract } from './store-contract/concurrency.ts';
import type { ContractContext, ContractStore } from './store-contract/context.ts';
import { SettableClock } from './store-contract/context.ts';
import { followUpsContract } from './store-contract/follow-ups.ts';
import { breakGlassContract, extensionsContract } from './store-contract/extensions.ts';
import { grantsContract } from './store-contract/grants.ts';
import { operationalCountsContract } from './store-contract/operational-counts.ts';
import { requestsContract } from './store-contract/requests.ts';
import { stepUpContract } from './store-contract/step-up.ts';
import { webSessionContract } from './store-contract/web-sessions.ts';
import { transactionsContract } from './store-contract/transactions.ts';

export interface OpenedStore {
  store: ContractStore;
  /** Releases what the factory opened (or just empties a shared database). */
  cleanup(): Promise<void>;
}

/** Opens an empty store whose audit records are stamped with `clock`. */
export type StoreFactory = (clock: Clock) => Promise<OpenedStore>;

/**
 * The behaviour every {@link Store} implementation must have. Each implementation's test file
 * calls this once with a factory that returns an empty store per test.
 */
export function storeContract(label: string, open: StoreFactory): void {
  describe(`Store contract: ${label}`, () => {
    let opened: OpenedStore | undefined;
    const clock = new SettableClock();
    const ctx: ContractContext = {
      get store() {
        if (!opened) throw new Error('the store is opened in beforeEach');
        return opened.store;
      },
      clock,
    };

    beforeEach(async () => {
      clock.reset();
      opened = await open(clock);
    });

    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    catalogContract(ctx);
    requestsContract(ctx);
    grantsContract(ctx);
    transactionsContract(ctx);
    auditContract(ctx);
    auditSearchContract(ctx);
    auditStreamContract(ctx);
    concurrencyContract(ctx);
    stepUpContract(ctx);
    webSessionContract(ctx);
    operationalCountsContract(ctx);
    followUpsContract(ctx);
    extensionsContract(ctx);
    breakGlassContract(ctx);
  });
}
