/**
 * The documented shapes of what providers send, as checks: each names the facts of the conformance files
 * it encodes (N1–N4: WeChat notifications, L1–L3: Alipay notifications). The conformance cases satisfy
 * them by construction; the sandbox must satisfy them too.
 */
import { createVerify } from 'node:crypto';
import { expect } from 'vitest';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const PAYSCORE_TIME = /^\d{14}$/;
const ALIPAY_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const YUAN = /^\d+\.\d{2}$/;

/** N1: a TRANSACTION.SUCCESS resource. */
export function expectTransactionResource(r: Record<string, any>) {
  expect(r).toMatchObject({ trade_state: 'SUCCESS', amount: { currency: 'CNY', payer_currency: 'CNY' } });
  for (const f of ['appid', 'mchid', 'out_trade_no', 'transaction_id', 'trade_type', 'success_time'])
    expect(typeof r[f], f).toBe('string');
  expect(r.success_time).toMatch(RFC3339);
  expect(Number.isSafeInteger(r.amount.total) && Number.isSafeInteger(r.amount.payer_total)).toBe(true);
}

/** N2: a REFUND.* resource: no appid, refund_status, amount without currency, success_time on SUCCESS. */
export function expectRefundResource(r: Record<string, any>, eventType: string) {
  expect(r.appid).toBeUndefined();
  expect(r.refund_status).toBe(eventType.slice('REFUND.'.length));
  for (const f of ['mchid', 'out_trade_no', 'transaction_id', 'out_refund_no', 'refund_id'])
    expect(typeof r[f], f).toBe('string');
  expect(Object.keys(r.amount).sort()).toEqual(['payer_refund', 'payer_total', 'refund', 'total']);
  if (r.refund_status === 'SUCCESS') expect(r.success_time).toMatch(RFC3339);
}

/** N3/N4: a Pay Score service order: times as yyyyMMddHHmmss, collection on USER_PAID. */
export function expectServiceOrderResource(r: Record<string, any>, eventType: string) {
  for (const f of ['appid', 'mchid', 'out_order_no', 'service_id', 'order_id', 'state'])
    expect(typeof r[f], f).toBe('string');
  expect(Number.isSafeInteger(r.risk_fund?.amount)).toBe(true);
  for (const t of Object.values((r.time_range ?? {}) as Record<string, string>))
    expect(t).toMatch(PAYSCORE_TIME);
  if (eventType === 'PAYSCORE.USER_PAID') {
    expect(r.collection.state).toBe('USER_PAID');
    for (const d of r.collection.details as Array<Record<string, unknown>>)
      expect(d.paid_time).toMatch(PAYSCORE_TIME);
  }
}

/** N5: the signature over "timestamp\nnonce\nbody\n" verifies with the platform key. */
export function expectWechatSignature(
  headers: Record<string, string | undefined>,
  body: Buffer,
  publicKey: string,
) {
  const message = `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${body.toString('utf8')}\n`;
  expect(
    createVerify('RSA-SHA256')
      .update(message)
      .verify(publicKey, String(headers['wechatpay-signature']), 'base64'),
  ).toBe(true);
}

/** L1/L2: a trade_status_sync form; refunds carry refund_fee, gmt_refund (milliseconds) and out_biz_no. */
export function expectAlipayTradeParams(p: Record<string, string>) {
  expect(p.notify_type).toBe('trade_status_sync');
  for (const f of ['notify_id', 'app_id', 'seller_id', 'trade_no', 'out_trade_no', 'trade_status'])
    expect(p[f], f).toBeTruthy();
  expect(p.total_amount).toMatch(YUAN);
  expect(p.notify_time).toMatch(ALIPAY_TIME);
  if (p.refund_fee !== undefined) {
    expect(p.refund_fee).toMatch(YUAN);
    expect(p.gmt_refund).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(p.out_biz_no).toBeTruthy();
    expect(['TRADE_SUCCESS', 'TRADE_CLOSED']).toContain(p.trade_status);
  } else expect(p.gmt_payment).toMatch(ALIPAY_TIME);
}

/** L4: the signature over the sorted parameters without sign and sign_type verifies with Alipay's key. */
export function expectAlipaySignature(p: Record<string, string>, publicKey: string) {
  const content = Object.keys(p)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join('&');
  expect(p.sign_type).toBe('RSA2');
  expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, String(p.sign), 'base64')).toBe(
    true,
  );
}
