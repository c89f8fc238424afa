import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  IdempotencyError,
  InvalidStateError,
  StorageUnavailableError,
  ValidationError,
} from '../../../lib/domain/errors';
import { STATUS_BY_CODE, errorResponse } from '../../../lib/http/error-mapping';

const body = (e: unknown) => JSON.parse(errorResponse(e, 'req-1').body).error;

describe('errorResponse', () => {
  it('maps every stable code in API.md to its status', () => {
    expect(STATUS_BY_CODE).toMatchObject({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      INVALID_STATE: 409,
      AMOUNT_EXCEEDS_REFUNDABLE: 422,
      CREDIT_LIMIT_EXCEEDED: 422,
      PATIENT_OVERDUE: 422,
      PROVIDER_UNAVAILABLE: 503,
      IDEMPOTENCY_KEY_REQUIRED: 400,
      IDEMPOTENCY_KEY_REUSED: 422,
      IDEMPOTENCY_KEY_IN_PROGRESS: 409,
    });
  });

  it('shows the message and field details of a 4xx', () => {
    const res = errorResponse(
      new ValidationError('bad', [{ path: 'body.amountFen', message: 'expected integer' }]),
      'req-1',
    );
    expect(res.statusCode).toBe(400);
    expect(body(new ValidationError('bad', [{ path: 'x', message: 'y' }]))).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'bad',
      requestId: 'req-1',
      details: [{ path: 'x', message: 'y' }],
    });
    expect(body(new InvalidStateError('payment pay_1 is PAID'))).toMatchObject({
      code: 'INVALID_STATE',
      message: 'payment pay_1 is PAID',
    });
  });

  it('hides internals of a 5xx and of unknown errors', () => {
    const unknown = errorResponse(
      new TypeError("Cannot read properties of undefined (reading 'secret')"),
      'req-2',
    );
    expect(unknown.statusCode).toBe(500);
    expect(unknown.body).not.toContain('secret');
    expect(JSON.parse(unknown.body).error.code).toBe('INTERNAL');
    const outage = errorResponse(
      new StorageUnavailableError('table medpay-prod throttled at partition X'),
      'req-3',
    );
    expect(outage.statusCode).toBe(503);
    expect(outage.body).not.toContain('medpay-prod');
    expect(outage.headers['Retry-After']).toBe('1');
  });

  it('adds Retry-After to IDEMPOTENCY_KEY_IN_PROGRESS', () => {
    const res = errorResponse(new IdempotencyError(ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS, 'wait', 2), 'r');
    expect(res.statusCode).toBe(409);
    expect(res.headers['Retry-After']).toBe('2');
  });
});
