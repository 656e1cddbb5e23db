import { AesGcmTokenCipher } from '../../src/adapters/crypto/aes-gcm-token-cipher.ts';
import { MemoryStore } from '../../src/adapters/store/memory/memory-store.ts';
import type { GrantDeps } from '../../src/app/deps.ts';
import type { ScopeDefinition } from '../../src/domain/scope.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { IdGenerator } from '../../src/ports/ids.ts';
import type { Store } from '../../src/ports/store.ts';
import { aChannelMapping, anIdentity, aPrincipal, aScope, T0 } from './builders.ts';
import { FakeClock } from './fake-clock.ts';
import { watchLockOrder } from './lock-order-store.ts';
import { FakeTokenIssuer } from './fake-token-issuer.ts';

/** Predictable ids: r-1, r-2 … and g-1, g-2 … */
export function sequentialIds(): IdGenerator {
  let requests = 0;
  let grants = 0;
  return { requestId: () => `r-${++requests}`, grantId: () => `g-${++grants}` };
}

export interface CoreHarness extends GrantDeps {
  store: Store;
  clock: FakeClock;
  issuer: FakeTokenIssuer;
}

/**
 * The core wired to in-memory ports and seeded with a small organisation: alice (requester),
 * bob and carol (approvers of `prod-db-admin`), dave (no role), erin (admin); each has a Slack
 * identity `U-<NAME>`, and `prod-db-admin` is mapped to Slack channel `C-REVIEWERS`.
 */
export async function coreHarness(options: { scope?: Partial<ScopeDefinition>; store?: Store } = {}): Promise<CoreHarness> {
  const clock = new FakeClock(T0);
  // Every transaction of every flow run through the harness is watched for the lock-order rule.
  const store = watchLockOrder(options.store ?? new MemoryStore(clock));
  await store.transaction(async (tx) => {
    for (const id of ['alice', 'bob', 'carol', 'dave']) {
      await tx.putPrincipal(aPrincipal({ id }));
      await tx.putIdentity(anIdentity({ principalId: id }));
    }
    await tx.putPrincipal(aPrincipal({ id: 'erin', isAdmin: true }));
    await tx.putIdentity(anIdentity({ principalId: 'erin' }));
    await tx.putScope(aScope(options.scope));
    await tx.addChannelMapping(aChannelMapping());
  });
  return {
    store,
    clock,
    ids: sequentialIds(),
    logger: silentLogger(),
    issuer: new FakeTokenIssuer(),
    cipher: new AesGcmTokenCipher([Buffer.alloc(32, 7)]),
  };
}

export const slackUser = (name: string) => ({ platform: 'slack' as const, userId: `U-${name.toUpperCase()}` });
