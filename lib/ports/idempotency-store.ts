/** IdempotencyStore port: remembers each Idempotency-Key's request hash and final response. */

/** The response stored for replay. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What `begin` found. */
export type BeginResult =
  | { readonly kind: 'started' }
  | { readonly kind: 'completed'; readonly response: StoredResponse }
  | { readonly kind: 'in-progress'; readonly retryAfterSec: number }
  | { readonly kind: 'mismatch' };

/**
 * Records requests by scoped key so a retried POST returns the first answer instead of acting twice.
 * @example
 * const r = await store.begin(scopedKey, requestHash, { lockMs: 30_000 });
 * if (r.kind === 'started') { const res = await run(); await store.complete(scopedKey, requestHash, res); }
 */
export interface IdempotencyStore {
  /** Claims the key for this request, unless it is already claimed, completed or used for another body. */
  begin(scopedKey: string, requestHash: string, options: { lockMs: number }): Promise<BeginResult>;
  /** Stores the final response, kept until the record's TTL. */
  complete(scopedKey: string, requestHash: string, response: StoredResponse): Promise<void>;
  /** Forgets an in-flight claim (after a 5xx), so a retry runs again. */
  release(scopedKey: string, requestHash: string): Promise<void>;
}
