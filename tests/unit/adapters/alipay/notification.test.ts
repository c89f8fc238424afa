import { describe, expect, it } from 'vitest';
import { alipayClient } from '../../../../lib/adapters/alipay/client';
import { parseAlipayTime, verifyAlipayNotification } from '../../../../lib/adapters/alipay/notification';
import { NotificationRejectedError } from '../../../../lib/domain/errors';
import { rsaKeyPair } from '../../../support/provider-keys';
import { alipayNotificationBody } from '../../../conformance/support/alipay';

const app = rsaKeyPair();
const alipay = rsaKeyPair(); // the "Alipay" platform key that signs notifications
const attacker = rsaKeyPair();
const ids = { appId: '2021000122671080', sellerId: '2088102177846875' };
const sdk = alipayClient({
  mode: 'public-key',
  appId: ids.appId,
  appPrivateKey: app.privateKey,
  alipayPublicKey: alipay.publicKey,
  gateway: 'http://127.0.0.1:9/gateway.do',
});

/** Signs as Alipay documents it (the conformance suite's independent signer). */
const signed = (params: Record<string, string>, signer = alipay.privateKey): Buffer =>
  alipayNotificationBody(params, signer);

const paid = (overrides: Record<string, string> = {}) => ({
  notify_time: '2026-03-01 10:00:02',
  notify_type: 'trade_status_sync',
  notify_id: 'ac05099524730693a8b330c5ecf72da9786',
  charset: 'utf-8',
  version: '1.0',
  app_id: ids.appId,
  seller_id: ids.sellerId,
  trade_no: '2026030122001412345678901234',
  out_trade_no: 'MPpay01J0000000000000000000',
  buyer_id: '2088102122524333',
  trade_status: 'TRADE_SUCCESS',
  total_amount: '25.00',
  receipt_amount: '25.00',
  buyer_pay_amount: '25.00',
  subject: '检查费 100% 自费 & 挂号', // "%" and "&" must survive: the V1 check throws on "%"
  gmt_create: '2026-03-01 09:59:50',
  gmt_payment: '2026-03-01 10:00:01',
  ...overrides,
});

const rejection = (body: Buffer) => {
  try {
    verifyAlipayNotification(sdk, ids, { headers: {}, body });
  } catch (error) {
    expect(error).toBeInstanceOf(NotificationRejectedError);
    return (error as NotificationRejectedError).reason;
  }
  throw new Error('expected a rejection');
};

describe('verifyAlipayNotification', () => {
  it('accepts an independently produced, correctly signed TRADE_SUCCESS', () => {
    expect(verifyAlipayNotification(sdk, ids, { headers: {}, body: signed(paid()) })).toEqual({
      kind: 'payment.succeeded',
      channel: 'alipay',
      notificationId: 'ac05099524730693a8b330c5ecf72da9786',
      outTradeNo: 'MPpay01J0000000000000000000',
      providerTradeNo: '2026030122001412345678901234',
      amountFen: 2500,
      payerId: '2088102122524333',
      paidAt: new Date('2026-03-01T02:00:01Z'),
    });
  });

  it('rejects the same notification with a single byte changed', () => {
    const body = signed(paid());
    const tampered = Buffer.from(body.toString().replace('total_amount=25.00', 'total_amount=26.00'));
    expect(tampered.length).toBe(body.length);
    expect(rejection(tampered)).toBe('BAD_SIGNATURE');
  });

  it('rejects a notification signed by another key, or without a signature', () => {
    expect(rejection(signed(paid(), attacker.privateKey))).toBe('BAD_SIGNATURE');
    expect(rejection(Buffer.from(new URLSearchParams(paid()).toString()))).toBe('MALFORMED');
  });

  it.each([
    ['app_id', { app_id: '2021000000000001' }],
    ['seller_id', { seller_id: '2088000000000001' }],
  ])('rejects a correctly signed notification for another %s', (_name, overrides) => {
    expect(rejection(signed(paid(overrides)))).toBe('WRONG_MERCHANT');
  });

  it('rejects an amount that is not a yuan string', () => {
    expect(rejection(signed(paid({ total_amount: '25.001' })))).toBe('MALFORMED');
  });

  it('ignores waiting trades and reads refund syncs as refunds, so a refund is never read as a second payment', () => {
    expect(
      verifyAlipayNotification(sdk, ids, {
        headers: {},
        body: signed(paid({ trade_status: 'WAIT_BUYER_PAY' })),
      }).kind,
    ).toBe('payment.waiting');
    const refundSync = paid({
      refund_fee: '10.00',
      out_biz_no: 'MRrfd01J0000000000000000000',
      gmt_refund: '2026-03-01 11:00:00.123',
    });
    expect(verifyAlipayNotification(sdk, ids, { headers: {}, body: signed(refundSync) })).toMatchObject({
      kind: 'refund.succeeded',
      outRefundNo: 'MRrfd01J0000000000000000000',
      refundedTotalFen: 1000,
      at: new Date('2026-03-01T03:00:00.123Z'),
    });
  });

  it('reads Alipay times as Beijing time', () => {
    expect(parseAlipayTime('2026-03-01 00:00:00')?.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(parseAlipayTime('2026-03-01T00:00:00')).toBeUndefined();
  });

  describe('fund authorisation (fund_auth_freeze)', () => {
    const freeze = (overrides: Record<string, string> = {}) => ({
      notify_id: '70fec0c2730b27528665af4517c27b95',
      notify_time: '2026-11-24 10:00:02',
      notify_type: 'fund_auth_freeze',
      app_id: ids.appId,
      payee_user_id: ids.sellerId,
      payer_user_id: '2088102122524333',
      auth_no: '2026112410002001000000000001',
      out_order_no: 'VAis01JVISIT0000000000000001',
      out_request_no: 'VFis01JVISIT0000000000000001',
      operation_id: '20261124000000000001',
      operation_type: 'FREEZE',
      amount: '2000.00',
      credit_amount: '2000.00',
      fund_amount: '0.00',
      status: 'SUCCESS',
      pre_auth_type: 'CREDIT_AUTH',
      gmt_trans: '2026-11-24 10:00:01',
      ...overrides,
    });

    it('translates a confirmed freeze, checking the payee rather than a seller', () => {
      expect(verifyAlipayNotification(sdk, ids, { headers: {}, body: signed(freeze()) })).toEqual({
        kind: 'authorisation.confirmed',
        channel: 'alipay',
        notificationId: '70fec0c2730b27528665af4517c27b95',
        outOrderNo: 'VAis01JVISIT0000000000000001',
        authNo: '2026112410002001000000000001',
        authorisedFen: 200_000,
        creditFen: 200_000,
        at: new Date('2026-11-24T02:00:01Z'),
      });
      expect(rejection(signed(freeze({ payee_user_id: '2088000000000001' })))).toBe('WRONG_MERCHANT');
    });

    it('rejects a tampered amount, and ignores an operation that is not a successful freeze', () => {
      const body = signed(freeze()).toString().replace('amount=2000.00', 'amount=1.00');
      expect(rejection(Buffer.from(body))).toBe('BAD_SIGNATURE');
      expect(
        verifyAlipayNotification(sdk, ids, {
          headers: {},
          body: signed(freeze({ operation_type: 'UNFREEZE' })),
        }).kind,
      ).toBe('ignored');
    });
  });
});
