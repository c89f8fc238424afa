/**
 * The Idempotency-Key middleware (API.md, Common rules):
 *   missing key → 400 IDEMPOTENCY_KEY_REQUIRED; replay → the stored response + `Idempotency-Replayed: true`;
 *   same key, other body → 422 IDEMPOTENCY_KEY_REUSED; same key in flight → 409 IDEMPOTENCY_KEY_IN_PROGRESS.
 * Keys are scoped to the caller and the route. 4xx answers are stored; 5xx answers are not, so a retry runs again.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareObj, Request } from '@middy/core';
import { ErrorCode, IdempotencyError } from '../../domain/errors';
import type { StoredResponse } from '../../ports/idempotency-store';
import { errorResponse, type HttpResponse } from '../error-mapping';
import type { HttpContext, HttpDeps } from '../context';
import { canonicalJson, header, rawBody, type HttpEvent } from '../request';

type HttpRequest = Request<HttpEvent, HttpResponse, Error, HttpContext<HttpDeps>>;
interface Claim {
  readonly scopedKey: string;
  readonly requestHash: string;
}

const MAX_KEY_LENGTH = 255;
const REPLAYED_HEADERS = ['content-type', 'location', 'content-disposition'];

/** Hash of what makes two requests "the same": method, path and the body as canonical JSON. */
export function requestHash(event: HttpEvent): string {
  const raw = rawBody(event);
  let body = raw;
  try {
    body = raw ? canonicalJson(JSON.parse(raw)) : '';
  } catch {
    // Not JSON: the raw text is what the caller sent; validation will refuse it later.
  }
  return createHash('sha256')
    .update(`${event.requestContext?.http?.method ?? ''}\n${event.rawPath}\n${body}`)
    .digest('hex');
}

/** Creates the idempotency middleware. It must run after authentication, which supplies the caller. */
export function idempotency<D extends HttpDeps>(): MiddlewareObj<
  HttpEvent,
  HttpResponse,
  Error,
  HttpContext<D>
> {
  const claims = new WeakMap<object, Claim>();

  const before = async (request: HttpRequest) => {
    const key = header(request.event, 'idempotency-key');
    if (!key || key.length > MAX_KEY_LENGTH) {
      throw new IdempotencyError(
        ErrorCode.IDEMPOTENCY_KEY_REQUIRED,
        `Send an Idempotency-Key header of 1 to ${MAX_KEY_LENGTH} characters with every POST; reuse it only to retry the same request.`,
      );
    }
    const { deps, caller } = request.context;
    const method = request.event.requestContext?.http?.method ?? 'POST';
    // The hospital is part of the scope: the business ids derived from it never repeat across hospitals.
    const scopedKey = [
      caller?.hospitalId ?? '-',
      caller?.sub ?? '-',
      method,
      request.event.rawPath,
      key,
    ].join('\n');
    const hash = requestHash(request.event);
    const remaining = request.context.getRemainingTimeInMillis?.() ?? deps.config.idempotency.lockMs;
    const result = await deps.idempotency.begin(scopedKey, hash, {
      lockMs: Math.max(1_000, Math.min(deps.config.idempotency.lockMs, remaining)),
    });
    switch (result.kind) {
      case 'started':
        claims.set(request, { scopedKey, requestHash: hash });
        // Use cases derive their business ids from this, so a re-execution after a lapsed claim converges.
        request.context.requestKey = createHash('sha256').update(scopedKey).digest('hex');
        return undefined;
      case 'completed':
        return {
          statusCode: result.response.statusCode,
          headers: {
            ...result.response.headers,
            'Idempotency-Replayed': 'true',
            'X-Request-Id': request.context.requestId,
          },
          body: result.response.body,
        };
      case 'in-progress':
        throw new IdempotencyError(
          ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
          'A request with this Idempotency-Key is still being processed. Retry after Retry-After seconds to receive its response.',
          result.retryAfterSec,
        );
      case 'mismatch':
        throw new IdempotencyError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
        );
    }
  };

  const settle = async (request: HttpRequest, response: HttpResponse) => {
    const claim = claims.get(request);
    if (!claim) return;
    claims.delete(request);
    const store = request.context.deps.idempotency;
    if (response.statusCode >= 500) await store.release(claim.scopedKey, claim.requestHash);
    else await store.complete(claim.scopedKey, claim.requestHash, toStored(response));
  };

  const after = async (request: HttpRequest) => {
    if (request.response) await settle(request, request.response);
  };

  const onError = async (request: HttpRequest) => {
    try {
      await settle(request, errorResponse(request.error, request.context.requestId));
    } catch (storeError) {
      // The caller still gets the original error; an unreleased claim lapses after its lock time.
      request.context.deps.logger.warn('idempotency record not settled', { error: storeError });
    }
  };

  return { before, after, onError };
}

function toStored(response: HttpResponse): StoredResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(response.headers))
    if (REPLAYED_HEADERS.includes(k.toLowerCase())) headers[k] = v;
  return { statusCode: response.statusCode, headers, body: response.body };
}
