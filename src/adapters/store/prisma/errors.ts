import { ElevateError } from '../../../domain/errors.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import { duplicateError, missingReferenceError } from '../integrity-errors.ts';

/** Prisma error codes that mean "the database could not be reached or did not answer in time". */
const UNAVAILABLE_CODES = new Set([
  'P1001', // can't reach database server
  'P1002', // database server timed out
  'P1008', // operation timed out
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error (could not start, or expired)
]);

/** Errors of the Node socket layer and of PostgreSQL itself that mean the same. */
const UNAVAILABLE_DRIVER_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/**
 * Turns what Prisma or the driver threw into Elevate's error vocabulary: the database being
 * unreachable becomes a retryable `store_unavailable`, integrity violations become the same
 * `conflict` / `not_found` the in-memory store raises. Anything else, including the caller's own
 * errors thrown inside a transaction, passes through untouched.
 */
export function translateStoreError(error: unknown): unknown {
  if (error instanceof ElevateError) return error;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') return duplicateError(`A row with this key (${describeTarget(error)})`, error);
    if (error.code === 'P2003') return missingReferenceError(`The row referenced through ${describeTarget(error)}`, error);
    if (error.code === 'P2034') {
      return new ElevateError('conflict', 'The database aborted the write because of a conflicting one; try again.', { cause: error, retryable: true });
    }
    if (UNAVAILABLE_CODES.has(error.code)) return unavailable(error);
  }
  if (error instanceof Prisma.PrismaClientInitializationError || error instanceof Prisma.PrismaClientRustPanicError) return unavailable(error);
  if (hasUnavailableDriverCode(error)) return unavailable(error);
  return error;
}

/** Runs `operation`, translating its failure with {@link translateStoreError}. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateStoreError(error);
  }
}

function unavailable(cause: unknown): ElevateError {
  return new ElevateError('store_unavailable', 'The database is unavailable; try again shortly.', { cause, retryable: true });
}

function describeTarget(error: Prisma.PrismaClientKnownRequestError): string {
  const meta = error.meta ?? {};
  const target = meta.target ?? meta.field_name ?? meta.constraint ?? meta.modelName;
  return target === undefined ? 'an unnamed constraint' : JSON.stringify(target);
}

/** Looks through `cause` chains too: Prisma wraps driver errors. */
function hasUnavailableDriverCode(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, cause, originalCode, kind } = error as { code?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_DRIVER_CODES.has(code)) return true;
  if (typeof originalCode === 'string' && UNAVAILABLE_DRIVER_CODES.has(originalCode)) return true;
  if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout' || kind === 'TooManyConnections') return true;
  return hasUnavailableDriverCode(cause, depth + 1);
}
