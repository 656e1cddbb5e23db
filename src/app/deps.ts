import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logging/logger.ts';
import type { IdGenerator } from '../ports/ids.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { Store } from '../ports/store.ts';
import type { TokenCipher } from '../ports/token-cipher.ts';
import type { TokenIssuer } from '../ports/token-issuer.ts';

/** What every use case may need. Each use case takes only the parts it uses. */
export interface CoreDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Where events are counted for the operators' metrics; absent, they are not. */
  metrics?: Metrics;
}

export interface GrantDeps extends CoreDeps {
  issuer: TokenIssuer;
  cipher: TokenCipher;
}
