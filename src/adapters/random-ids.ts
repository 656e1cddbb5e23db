import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '../ports/ids.ts';

/**
 * Short, unguessable ids that people can type (`/elevate done g-…`): a prefix and 16 random
 * base32 characters (80 bits), lower case, without look-alike letters.
 */
export const randomIds: IdGenerator = {
  requestId: () => `r-${randomToken()}`,
  grantId: () => `g-${randomToken()}`,
};

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function randomToken(length = 16): string {
  let out = '';
  for (const byte of randomBytes(length)) out += ALPHABET[byte & 31];
  return out;
}
