/**
 * One look at whether the authorization server answers: its metadata document, fetched fresh.
 * Resolves when it answered as an AS should; rejects with a plain, non-secret sentence (no
 * response body, no token) when it did not. Honours `signal` (the caller's time limit).
 */
export interface AuthorizationServerProbe {
  /** What is probed, for people: the issuer URL. */
  readonly issuer: string;
  probe(signal: AbortSignal): Promise<void>;
}
