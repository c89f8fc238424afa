/**
 * The served OpenAPI document (#12) against responses built by hand: what conforms passes, and each kind
 * of drift the e2e check must catch is caught (so a passing e2e run means something).
 */
import { describe, expect, it } from 'vitest';
import servedDocument from '../../../docs/openapi.json';
import { openApiValidator } from '../../support/openapi-validator';

const validator = openApiValidator(servedDocument);
const check = (...args: Parameters<typeof validator.check>) => validator.check(...args);
const json = (extra: Record<string, string> = {}) =>
  new Headers({ 'content-type': 'application/json', 'x-request-id': 'r1', ...extra });
const payment = {
  paymentId: 'pay_01',
  status: 'PENDING',
  channel: 'wechatpay',
  purpose: 'examination',
  referenceId: 'HIS-1',
  amountFen: 2500,
  refundedFen: 0,
  outTradeNo: 'MP01',
  createdAt: '2026-11-25T02:30:00.000Z',
  expiresAt: '2026-11-25T02:45:00.000Z',
  refunds: [],
};

describe('the served OpenAPI document', () => {
  it('has servers, the webhooks, the shared headers and an open Error with every code', () => {
    const doc = servedDocument as any;
    expect(doc.servers).toHaveLength(1);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/webhooks/alipay', '/webhooks/wechatpay']),
    );
    expect(Object.keys(doc.components.headers)).toEqual([
      'X-Request-Id',
      'Retry-After',
      'Idempotency-Replayed',
    ]);
    const error = doc.components.schemas.Error.properties.error;
    expect(error.additionalProperties).not.toBe(false);
    expect(error.properties.code.enum).toEqual(
      expect.arrayContaining(['CREDIT_LIMIT_EXCEEDED', 'IDEMPOTENCY_KEY_IN_PROGRESS']),
    );
    expect(doc.paths['/payments/{paymentId}/close'].post.responses['404']).toBeDefined();
    expect(doc.paths['/refunds/bulk/{batchId}'].get.responses['404']).toBeDefined();
    expect(doc.paths['/statements/{date}'].get.responses['302'].headers.Location.required).toBe(true);
  });

  it('accepts a conforming response, and an error carrying its own fields', () => {
    expect(check('GET', '/payments/pay_01', 200, json(), JSON.stringify(payment))).toEqual([]);
    const overLimit = {
      error: { code: 'CREDIT_LIMIT_EXCEEDED', message: 'over', requestId: 'r1', availableCreditFen: 135000 },
    };
    expect(check('POST', '/visits/v1/charges', 422, json(), JSON.stringify(overLimit))).toEqual([]);
    expect(check('POST', '/webhooks/wechatpay', 204, new Headers({ 'x-request-id': 'r1' }), '')).toEqual([]);
  });

  it('reports an undocumented route or status, a missing header, a wrong type and a malformed timestamp', () => {
    expect(check('GET', '/nowhere', 200, json(), '{}')[0]).toMatch(/not in the document/);
    expect(check('GET', '/payments/pay_01', 418, json(), '{}')[0]).toMatch(/status not documented/);
    expect(
      check(
        'GET',
        '/payments/pay_01',
        200,
        new Headers({ 'content-type': 'application/json' }),
        JSON.stringify(payment),
      )[0],
    ).toMatch(/X-Request-Id missing/);
    expect(
      check('GET', '/payments/pay_01', 200, json(), JSON.stringify({ ...payment, amountFen: '25.00' }))[0],
    ).toMatch(/amountFen/);
    expect(
      check(
        'GET',
        '/payments/pay_01',
        200,
        json(),
        JSON.stringify({ ...payment, createdAt: '2026-11-25 10:30:00' }),
      )[0],
    ).toMatch(/date-time/);
    expect(check('GET', '/statements/2026-11-24', 302, json(), '')[0]).toMatch(/Location missing/);
    expect(
      check(
        'POST',
        '/payments',
        400,
        json(),
        JSON.stringify({ error: { code: 'NOPE', message: 'x', requestId: 'r' } }),
      )[0],
    ).toMatch(/enum|allowed/);
  });
});
