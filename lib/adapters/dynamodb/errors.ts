/** Maps DynamoDB SDK failures to domain errors: throttling and timeouts become StorageUnavailableError. */
import { StorageUnavailableError } from '../../domain/errors';

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** True when the error means the store could not be reached or refused for load, not a logic failure. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return UNAVAILABLE.has(error.name) || (code !== undefined && NETWORK_CODES.has(code));
}

/** Re-throws store outages as StorageUnavailableError; anything else unchanged. */
export function rethrowStoreError(error: unknown, operation: string): never {
  if (isUnavailable(error)) {
    throw new StorageUnavailableError(
      'The data store is unavailable; nothing was written. Retry shortly.',
      { operation },
      { cause: error },
    );
  }
  throw error;
}
