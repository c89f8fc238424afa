/**
 * What the middy stack needs from the composition root, and what it adds to the Lambda context. lib/http
 * depends on this shape only; each function passes its own dependencies in (never lib/config).
 */
import type { Context } from 'aws-lambda';
import type { Logger } from '../ports/logger';
import type { Clock } from '../ports/clock';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { Metrics } from '../ports/metrics';
import type { InHospital } from '../ports/hospitals';
import type { Caller, TokenVerifier } from './auth';
import type { HttpResponse } from './error-mapping';
import type { HttpEvent } from './request';

/** The dependencies the HTTP middlewares use. */
export interface HttpDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly auth: TokenVerifier;
  readonly idempotency: IdempotencyStore;
  readonly config: { readonly idempotency: { readonly lockMs: number } };
  /** The default hospital: the one these dependencies' stores belong to. */
  readonly hospitalId: string;
  /** `deps` with the stores of another hospital (`deps` itself for its own hospital). */
  readonly inHospital: InHospital;
  /** The courier callback secret, read on first use (routes open to couriers). */
  readonly copies: { readonly courierSecret: () => Promise<string | undefined> };
}

/** The Lambda context, extended with what the middlewares establish. */
export interface HttpContext<D extends HttpDeps = HttpDeps> extends Context {
  deps: D;
  requestId: string;
  caller?: Caller;
  /** The caller-scoped Idempotency-Key, hashed (POST routes): use cases derive business ids from it. */
  requestKey?: string;
}

/**
 * Logs that a function's dependencies could not be built (bad configuration, secret store down): no logger
 * exists yet, so the line goes to stderr as the logger would have written it.
 */
export function logStartupFailure(error: unknown, fields: Readonly<Record<string, string>> = {}): void {
  console.error(
    JSON.stringify({ level: 'ERROR', message: 'startup failed', ...fields, error: String(error) }),
  );
}

/** A Lambda handler for API Gateway HTTP API events. */
export type LambdaHttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;
