/** Generates identifiers. Injectable so tests can predict them. */
export interface IdGenerator {
  requestId(): string;
  grantId(): string;
}
