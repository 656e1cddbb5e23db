import type { Metrics } from '../ports/metrics.ts';

/** Metrics that go nowhere: the default wherever no metrics are configured (tests, harnesses, metrics off). */
export const noMetrics: Metrics = Object.freeze({
  requestSubmitted() {},
  decided() {},
  grantIssued() {},
  grantRevoked() {},
  sweepFinished() {},
  oauthCall() {},
  chatApiError() {},
  chatRateLimitWait() {},
  auditAppended() {},
});
