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
  it('reuses a verification for a while, but never once the trail has grown past it', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    await store.transaction((tx) => tx.appendAudit({ type: 'request.reminded', actor: 'system' }));
    const { reader, fullReads } = counting(store);
    const status = new AuditChainStatus(reader, clock, [], 30_000);

    const [first, concurrent] = await Promise.all([status.current(), status.current()]);
    expect(first.verification).toEqual({ ok: true, records: 1, headSeq: 1 });
    expect(concurrent).toBe(first);
    clock.advance(10);
    expect(await status.current()).toBe(first);
    expect(fullReads()).toBe(1);

    await store.transaction((tx) => tx.appendAudit({ type: 'request.reminded', actor: 'system' }));
    expect((await status.current()).verification).toEqual({ ok: true, records: 2, headSeq: 2 });
    expect(fullReads()).toBe(2);

    clock.advance(31);
    expect((await status.current()).checkedAt).toEqual(clock.now());
    expect(fullReads()).toBe(3);
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
