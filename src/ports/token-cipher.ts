/** Seals tokens for storage at rest (authenticated encryption). Implemented in `src/adapters/crypto`. */
export interface TokenCipher {
  /** `context` (e.g. the grant id) is bound as associated data: a sealed value moved to another row fails to open. */
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}
