/** The one error hierarchy: every error medpay raises on purpose has a stable `code` and context. */

/** Stable, documented error codes; HTTP statuses are assigned in lib/http/error-mapping.ts. */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  CONCURRENT_MODIFICATION: 'CONCURRENT_MODIFICATION',
  AMOUNT_EXCEEDS_REFUNDABLE: 'AMOUNT_EXCEEDS_REFUNDABLE',
  CREDIT_LIMIT_EXCEEDED: 'CREDIT_LIMIT_EXCEEDED',
  PATIENT_OVERDUE: 'PATIENT_OVERDUE',
  CHARGE_ID_REUSED: 'CHARGE_ID_REUSED',
  IDEMPOTENCY_KEY_REQUIRED: 'IDEMPOTENCY_KEY_REQUIRED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'IDEMPOTENCY_KEY_IN_PROGRESS',
  UNBALANCED_TRANSACTION: 'UNBALANCED_TRANSACTION',
  NOTIFICATION_REJECTED: 'NOTIFICATION_REJECTED',
  INTEGRITY_ALERT: 'INTEGRITY_ALERT',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  CHANNEL_REVOKED: 'CHANNEL_REVOKED',
  BILL_NOT_AVAILABLE: 'BILL_NOT_AVAILABLE',
  INSURANCE_AUTH_INVALID: 'INSURANCE_AUTH_INVALID',
  INSURANCE_REFUSED: 'INSURANCE_REFUSED',
  INSURANCE_PARTIAL_REFUND: 'INSURANCE_PARTIAL_REFUND',
  PAYMENT_CODE_INVALID: 'PAYMENT_CODE_INVALID',
  PAYMENT_CODE_USED: 'PAYMENT_CODE_USED',
  PAYMENT_CODE_REFUSED: 'PAYMENT_CODE_REFUSED',
  BILL_REJECTED: 'BILL_REJECTED',
  DEPOSIT_CAP_EXCEEDED: 'DEPOSIT_CAP_EXCEEDED',
  TOP_UP_PENDING: 'TOP_UP_PENDING',
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Extra facts about an error, safe to log (never secrets or personal data). */
export type ErrorContext = Readonly<Record<string, unknown>>;

/** Base class: a stable code, a message written for the integrator, context and an optional cause. */
export class MedpayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that does not satisfy the contract; `issues` lists each offending field. */
export class ValidationError extends MedpayError {
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(ErrorCode.VALIDATION_FAILED, message, { issues });
  }
}

/** No valid credentials were presented. */
export class UnauthenticatedError extends MedpayError {
  constructor(message = 'A valid Bearer token is required.', options?: { cause?: unknown }) {
    super(ErrorCode.UNAUTHENTICATED, message, {}, options);
  }
}

/** The caller is authenticated but its role may not do this. */
export class ForbiddenError extends MedpayError {
  constructor(message = 'Your role is not allowed to do this.', context: ErrorContext = {}) {
    super(ErrorCode.FORBIDDEN, message, context);
  }
}

/**
 * The hospital's merchant revoked the platform's authorisation of this channel (Alipay 第三方应用授权): its
 * payments on the channel stop until an operator connects it again. Nothing was sent or changed.
 */
export class ChannelRevokedError extends MedpayError {
  constructor(channel: string, hospitalId?: string) {
    super(
      ErrorCode.CHANNEL_REVOKED,
      `The hospital's ${channel} merchant has revoked the platform's authorisation; an operator must connect it again (POST /hospitals/{hospitalId}/channels/${channel}).`,
      { channel, ...(hospitalId ? { hospitalId } : {}) },
    );
  }
}

/** The resource does not exist, or belongs to someone else (never say which). */
export class NotFoundError extends MedpayError {
  constructor(resource: string, id: string) {
    super(ErrorCode.NOT_FOUND, `${resource} ${id} was not found.`, { resource, id });
  }
}

/** A state machine refused a transition. */
export class InvalidStateError extends MedpayError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_STATE, message, context);
  }
}

/**
 * A guarded write found the entity in another status than the write expected: someone moved it first (a
 * race), as opposed to a state machine refusing a transition. Still INVALID_STATE (409) to a caller.
 */
export class StatusGuardError extends InvalidStateError {}

/** An optimistic-concurrency check failed: someone else changed the entity first; retry. */
export class ConcurrentModificationError extends MedpayError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(ErrorCode.CONCURRENT_MODIFICATION, message, context, options);
  }
}

/** A journal transaction whose debits and credits differ, or whose postings are malformed. */
export class UnbalancedTransactionError extends MedpayError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.UNBALANCED_TRANSACTION, message, context);
  }
}

/** The idempotency contract was broken by the caller (missing, reused or in-flight key). */
export class IdempotencyError extends MedpayError {
  constructor(
    code:
      | typeof ErrorCode.IDEMPOTENCY_KEY_REQUIRED
      | typeof ErrorCode.IDEMPOTENCY_KEY_REUSED
      | typeof ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(code, message);
  }
}

/** The data store throttled, timed out or failed; nothing was written, and a retry is safe. */
export class StorageUnavailableError extends MedpayError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(ErrorCode.STORAGE_UNAVAILABLE, message, context, options);
  }
}

/** A payment provider or the insurance platform could not be reached or answered with a system error. */
export class ProviderUnavailableError extends MedpayError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(ErrorCode.PROVIDER_UNAVAILABLE, message, context, options);
  }
}

/** Why a provider notification was not believed. Each reason is logged; none is ever applied. */
export type NotificationRejection =
  | 'MISSING_HEADERS'
  | 'STALE_TIMESTAMP'
  | 'UNKNOWN_SERIAL'
  | 'BAD_SIGNATURE'
  | 'BAD_CIPHERTEXT'
  | 'MALFORMED'
  | 'WRONG_MERCHANT';

/** A forged, stale, tampered or foreign notification. The webhook answers 4xx (or not `success`) and logs it. */
export class NotificationRejectedError extends MedpayError {
  constructor(
    readonly reason: NotificationRejection,
    message: string,
    context: ErrorContext = {},
  ) {
    super(ErrorCode.NOTIFICATION_REJECTED, message, { ...context, reason });
  }
}

/** One field on which an authentic notification contradicts medpay's record. */
export interface FieldMismatch {
  readonly field: string;
  readonly recorded: unknown;
  readonly reported: unknown;
}

/**
 * An authentic notification (signature and merchant verified) that contradicts what medpay recorded: amount,
 * currency, order pairing or provider number. Whatever the record's state, nothing is changed; the webhook
 * refuses it (the provider retries), logs both values as an integrity alert and counts it.
 */
export class IntegrityAlertError extends MedpayError {
  constructor(
    readonly entity: string,
    readonly mismatches: readonly FieldMismatch[],
  ) {
    super(
      ErrorCode.INTEGRITY_ALERT,
      `The notification contradicts ${entity}: ${mismatches.map((m) => m.field).join(', ')}.`,
      { entity, mismatches },
    );
  }
}

/**
 * The fields on which a notification contradicts the record. Only fields both sides know are compared: a
 * field the notification does not carry, or that medpay has not learned yet, cannot contradict.
 */
export function mismatchesOf(
  pairs: Readonly<Record<string, readonly [recorded: unknown, reported: unknown]>>,
): FieldMismatch[] {
  return Object.entries(pairs)
    .filter(([, [recorded, reported]]) => recorded !== undefined && reported !== undefined)
    .filter(([, [recorded, reported]]) => recorded !== reported)
    .map(([field, [recorded, reported]]) => ({ field, recorded, reported }));
}

/** Throws an IntegrityAlertError when any compared field disagrees. */
export function assertAgrees(
  entity: string,
  pairs: Readonly<Record<string, readonly [recorded: unknown, reported: unknown]>>,
): void {
  const mismatches = mismatchesOf(pairs);
  if (mismatches.length > 0) throw new IntegrityAlertError(entity, mismatches);
}
