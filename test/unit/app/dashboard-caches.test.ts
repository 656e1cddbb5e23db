import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { AuditChainStatus } from '../../../src/app/audit-chain-status.ts';
import { AuthorizationServerReachability } from '../../../src/app/authorization-server-reachability.ts';
import type { StoreReader } from '../../../src/ports/store.ts';
import { FakeClock } from '../../support/fake-clock.ts';

/** A store that counts how often the whole trail is read from its start. */
function counting(store: MemoryStore): { reader: StoreReader; fullReads: () => number } {
  let reads = 0;
  const reader = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'listAudit') {
        return (after: number, limit: number) => {
          if (after === 0) reads += 1;
          return target.listAudit(after, limit);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { reader, fullReads: () => reads };
}

describe('the audit page’s chain verification', () => {
  it('re-hashes the whole trail once per interval, and only the new records in between', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    await store.transaction((tx) => tx.appendAudit({ type: 'request.reminded', actor: 'system' }));
    const { reader, fullReads } = counting(store);
    const status = new AuditChainStatus(reader, clock, [], 30_000);

    const [first, concurrent] = await Promise.all([status.current(), status.current()]);
    expect(first.verification).toEqual({ ok: true, records: 1, headSeq: 1 });
    expect(concurrent).toBe(first);
    expect(fullReads()).toBe(1);

    clock.advance(10);
    await store.transaction((tx) => tx.appendAudit({ type: 'request.reminded', actor: 'system' }));
    expect((await status.current()).verification).toEqual({ ok: true, records: 2, headSeq: 2 });
    expect(fullReads()).toBe(1);

    clock.advance(30);
    expect(await status.current()).toEqual({ verification: { ok: true, records: 2, headSeq: 2 }, checkedAt: clock.now() });
    expect(fullReads()).toBe(2);
  });

  it('finds a record edited after a pass at the next whole pass', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 3; i += 1) await tx.appendAudit({ type: 'request.reminded', actor: 'system' });
    });
    let edited = false;
    const reader = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'listAudit') {
          return async (after: number, limit: number) => (await target.listAudit(after, limit)).map((r) => (edited && r.seq === 2 ? { ...r, actor: 'mallory' } : r));
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const status = new AuditChainStatus(reader, clock, [], 30_000);
    expect((await status.current()).verification.ok).toBe(true);
    edited = true;
    clock.advance(30);
    expect((await status.current()).verification).toEqual({ ok: false, records: 2, brokenAtSeq: 2, problem: 'record 2 was altered: its content does not match its hash' });
    // A broken chain is checked from the start at every view, so a repair shows at once.
    edited = false;
    expect((await status.current()).verification.ok).toBe(true);
  });

  it('does not mistake a record appended during a pass for a broken chain', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    await store.transaction((tx) => tx.appendAudit({ type: 'request.reminded', actor: 'system' }));
    // Another instance appends right after the pass read the head.
    const racing = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'getAuditHead') {
          return async () => {
            const head = await target.getAuditHead();
            await target.transaction((tx) => tx.appendAudit({ type: 'request.reminded', actor: 'system' }));
            return head;
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const status = new AuditChainStatus(racing, clock);
    expect((await status.current()).verification).toEqual({ ok: true, records: 1, headSeq: 1 });
    expect((await status.current()).verification).toEqual({ ok: true, records: 2, headSeq: 2 });
  });
});

describe('the AS reachability check', () => {
  it('probes at most once per interval, shares a probe in flight, and reports a failure without its details', async () => {
    const clock = new FakeClock();
    let probes = 0;
    let fail = false;
    const probe = {
      issuer: 'https://id.example.com',
      probe: async () => {
        probes += 1;
        if (fail) throw new Error('its metadata answered HTTP 502');
      },
    };
    const reachability = new AuthorizationServerReachability(probe, clock, { ttlMs: 15_000, timeoutMs: 1000 });
    const [a, b] = await Promise.all([reachability.current(), reachability.current()]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ issuer: 'https://id.example.com', reachable: true, problem: null, checkedAt: clock.now() });
    fail = true;
    clock.advance(14);
    expect((await reachability.current()).reachable).toBe(true);
    expect(probes).toBe(1);
    clock.advance(2);
    expect(await reachability.current()).toMatchObject({ reachable: false, problem: 'its metadata answered HTTP 502' });
    expect(probes).toBe(2);
  });
});
