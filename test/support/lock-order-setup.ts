import { afterEach } from 'vitest';
import { takeLockOrderViolations } from './lock-order-store.ts';

// Every test whose store is watched (the core harness's always is) fails if one of its
// transactions took a lock after appending to the audit chain (see lock-order-store.ts).
afterEach(() => {
  const violations = takeLockOrderViolations();
  if (violations.length > 0) throw new Error(`a transaction took a lock after appending to the audit chain (see audit-head.ts): ${violations.join('; ')}`);
});
