/** The one place errors become HTTP responses: `{"error":{"code","message","requestId"}}`. */
import { ErrorCode, IdempotencyError, MedpayError, ValidationError } from '../domain/errors';

/** HTTP status for every stable error code. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  CONCURRENT_MODIFICATION: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  NOTIFICATION_REJECTED: 401,
  INTEGRITY_ALERT: 409,
  AMOUNT_EXCEEDS_REFUNDABLE: 422,
  CREDIT_LIMIT_EXCEEDED: 422,
  PATIENT_OVERDUE: 422,
  CHARGE_ID_REUSED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNBALANCED_TRANSACTION: 500,
  INTERNAL: 500,
  PROVIDER_UNAVAILABLE: 503,
  CHANNEL_REVOKED: 409,
  BILL_NOT_AVAILABLE: 409,
  BILL_REJECTED: 422,
  INSURANCE_AUTH_INVALID: 422,
  INSURANCE_REFUSED: 422,
  INSURANCE_PARTIAL_REFUND: 422,
  PAYMENT_CODE_INVALID: 400,
  PAYMENT_CODE_USED: 409,
  PAYMENT_CODE_REFUSED: 422,
  DEPOSIT_CAP_EXCEEDED: 422,
  TOP_UP_PENDING: 409,
  STORAGE_UNAVAILABLE: 503,
};

/** An HTTP response as API Gateway expects it. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const GENERIC_5XX: Record<number, string> = {
  500: 'medpay could not complete the request. It has been logged; quote the requestId to support.',
  503: 'A dependency is temporarily unavailable; nothing was changed. Retry with the same Idempotency-Key.',
};

/**
 * The stable code and HTTP status of any thrown value: the one mapping the API's error bodies, the
 * webhooks' replies and the jobs' failure logs all use. Anything not a MedpayError is INTERNAL (500).
 */
export function classifyError(error: unknown): { code: ErrorCode; statusCode: number; known?: MedpayError } {
  const known = error instanceof MedpayError ? error : undefined;
  const code: ErrorCode = known?.code ?? ErrorCode.INTERNAL;
  return { code, statusCode: STATUS_BY_CODE[code], ...(known ? { known } : {}) };
}

/** Maps any thrown value to a response. Messages are exposed only below 500; 5xx bodies hide internals. */
export function errorResponse(error: unknown, requestId: string): HttpResponse {
  const { code, statusCode, known } = classifyError(error);
  const expose = statusCode < 500;
  const body: Record<string, unknown> = {
    code,
    message: expose && known ? known.message : (GENERIC_5XX[statusCode] ?? GENERIC_5XX[500]),
    requestId,
  };
  if (error instanceof ValidationError && error.issues.length > 0) body.details = error.issues;
  // The integrator needs the number to tell staff what still fits on the visit.
  if (code === ErrorCode.CREDIT_LIMIT_EXCEEDED && known)
    body.availableCreditFen = known.context.availableCreditFen;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (error instanceof IdempotencyError && error.retryAfterSec !== undefined) {
    headers['Retry-After'] = String(error.retryAfterSec);
  }
  if (statusCode === 503) headers['Retry-After'] ??= '1';
  // A provider publishes the previous day's bill from about 09:00 (Beijing): try again in an hour.
  if (code === ErrorCode.BILL_NOT_AVAILABLE) headers['Retry-After'] = '3600';
  return { statusCode, headers, body: JSON.stringify({ error: body }) };
}
