import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/adapters/store/memory/memory-store.ts';
import { isElevateError } from '../../src/domain/errors.ts';
import type { StoreTx } from '../../src/ports/store.ts';
import { aScope } from '../support/builders.ts';
import { storeContract } from './store.contract.ts';

storeContract('in-memory', async (clock) => {
  const store = new MemoryStore(clock);
  return { store, cleanup: () => store.close() };
});

describe('MemoryStore specifics', () => {
  it('refuses a transaction handle used after its transaction ended', async () => {
    const store = new MemoryStore();
    let leaked: StoreTx | undefined;
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    expect(() => leaked!.putScope(aScope())).toThrow(/after it ended/);
    expect(await store.listScopes()).toEqual([]);
  });

  it('refuses reads through the store, and nested transactions, inside a transaction', async () => {
    const store = new MemoryStore();
    const read = await store.transaction(() => store.listScopes()).catch((e: unknown) => e);
    const nested = await store.transaction(() => store.transaction(async () => 'inner')).catch((e: unknown) => e);
    expect(isElevateError(read, 'internal')).toBe(true);
    expect(isElevateError(nested, 'internal')).toBe(true);
    // Work the transaction started but did not await may read once the transaction is over.
    let later: Promise<unknown> | undefined;
    await store.transaction(async () => {
      later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => store.listScopes());
    });
    expect(await later).toEqual([]);
  });

  it('reports itself unreachable once closed', async () => {
    const store = new MemoryStore();
    await store.close();
    expect(await store.health()).toMatchObject({ ok: false, reason: 'unreachable' });
    const error = await store.getScope('x').catch((e: unknown) => e);
    expect(isElevateError(error, 'store_unavailable')).toBe(true);
  });
});
