/**
 * Conformance: Alipay asynchronous notifications as published, through the adapter's verifier.
 *
 * Facts:
 *   L1 a trade_status_sync carries notify_time, notify_type, notify_id, app_id, seller_id, trade_no,
 *      out_trade_no, buyer_id, trade_status, total_amount (yuan), gmt_payment (yyyy-MM-dd HH:mm:ss, Beijing):
 *      the field set of the real, Alipay-signed notifications in alipay/alipay-sdk-nodejs-all
 *      test/alipay.test.ts. TRADE_SUCCESS and TRADE_FINISHED both mean paid; WAIT_BUYER_PAY does not;
 *      TRADE_CLOSED is an unpaid trade closed, or a paid one fully refunded.
 *   L2 a refund re-notifies the payment's notify_url: refund_fee (the TOTAL refunded) and gmt_refund tell it
 *      from a timeout close (Alipay support, developer.aliyun.com/ask/285129); out_biz_no is the refund's
 *      out_request_no; a partial refund keeps TRADE_SUCCESS, a full one is TRADE_CLOSED with gmt_close
 *      (Alipay's refund FAQ as quoted in blog.csdn.net/qq_42978230/article/details/146307860);
 *      gmt_refund carries milliseconds ("2019-09-16 10:56:48.123").
 *   L3 fund_auth_freeze: auth_no, out_order_no, out_request_no, operation_type FREEZE, status SUCCESS,
 *      amount, credit_amount, gmt_trans; a real notification (ksher-api/PreAuth_Alipay
 *      test_barcode_freeze.py) carries trans_currency and NO payee_user_id.
 *   L4 the signature covers every parameter but sign and sign_type, sorted, k=v joined with & (how
 *      alipay-sdk-nodejs-all's checkNotifySign builds it, trying with and without sign_type), SHA256withRSA
 *      (RSA2) with Alipay's public key; values may hold "%" and "&" (its V1 checker throws on "%").
 *   L5 the reply "success" acknowledges; anything else makes Alipay retry (webhook, tested end to end).
 */
import { describe, expect, it } from 'vitest';
import { alipayClient } from '../../lib/adapters/alipay/client';
import { verifyAlipayNotification } from '../../lib/adapters/alipay/notification';
import { NotificationRejectedError } from '../../lib/domain/errors';
import { rsaKeyPair } from '../support/provider-keys';
import { alipayNotificationBody } from './support/alipay';
import { reasonOf } from './support/read';

const alipay = rsaKeyPair();
const ids = { appId: '2019073166072302', sellerId: '2088531891668739' };
const sdk = alipayClient({
  mode: 'public-key',
  appId: ids.appId,
  appPrivateKey: rsaKeyPair().privateKey,
  alipayPublicKey: alipay.publicKey,
  gateway: 'http://127.0.0.1:9/gateway.do',
});
const verify = (params: Record<string, string>, key = alipay.privateKey) =>
  verifyAlipayNotification(sdk, ids, { headers: {}, body: alipayNotificationBody(params, key) });
const reason = (params: Record<string, string>, key = alipay.privateKey) =>
  reasonOf(() => verify(params, key));

const trade = (overrides: Record<string, string> = {}) => ({
  gmt_create: '2026-11-23 09:00:00',
  charset: 'utf-8',
  seller_email: 'hospital@example.com',
  subject: '挂号费 100% 自费 & 门诊',
  buyer_id: '2088102122524333',
  invoice_amount: '25.00',
  notify_id: '2026112300222090009036611453021245',
  fund_bill_list: '[{"amount":"25.00","fundChannel":"ALIPAYACCOUNT"}]',
  notify_type: 'trade_status_sync',
  trade_status: 'TRADE_SUCCESS',
  receipt_amount: '25.00',
  app_id: ids.appId,
  buyer_pay_amount: '25.00',
  seller_id: ids.sellerId,
  gmt_payment: '2026-11-23 09:00:07',
  notify_time: '2026-11-23 09:00:08',
  version: '1.0',
  out_trade_no: 'MPC001',
  total_amount: '25.00',
  trade_no: '2026112322001400000000000001',
  auth_app_id: ids.appId,
  buyer_logon_id: 'abc***@example.com',
  point_amount: '0.00',
  ...overrides,
});

describe('Alipay notifications (conformance)', () => {
  it('L1: TRADE_SUCCESS and TRADE_FINISHED are a paid trade, in fen, at Beijing gmt_payment', () => {
    for (const trade_status of ['TRADE_SUCCESS', 'TRADE_FINISHED'])
      expect(verify(trade({ trade_status }))).toEqual({
        kind: 'payment.succeeded',
        channel: 'alipay',
        notificationId: '2026112300222090009036611453021245',
        outTradeNo: 'MPC001',
        providerTradeNo: '2026112322001400000000000001',
        amountFen: 2500,
        payerId: '2088102122524333',
        paidAt: new Date('2026-11-23T01:00:07Z'),
      });
  });

  it('L1: WAIT_BUYER_PAY is a trade still unpaid; TRADE_CLOSED without refund fields is an unpaid trade closed', () => {
    expect(verify(trade({ trade_status: 'WAIT_BUYER_PAY' }))).toMatchObject({
      kind: 'payment.waiting',
      amountFen: 2500,
    });
    expect(verify(trade({ trade_status: 'TRADE_CLOSED', gmt_close: '2026-11-23 09:30:00' }))).toMatchObject({
      kind: 'payment.closed',
      outTradeNo: 'MPC001',
      amountFen: 2500,
    });
  });

  it('L2: a partial refund (TRADE_SUCCESS) and a full one (TRADE_CLOSED) are refunds, never a second payment', () => {
    const partial = trade({
      refund_fee: '10.00',
      gmt_refund: '2026-11-23 11:30:00.123',
      out_biz_no: 'MRC001',
    });
    expect(verify(partial)).toMatchObject({
      kind: 'refund.succeeded',
      outTradeNo: 'MPC001',
      outRefundNo: 'MRC001',
      providerTradeNo: '2026112322001400000000000001',
      paymentTotalFen: 2500,
      refundedTotalFen: 1000,
      at: new Date('2026-11-23T03:30:00.123Z'),
    });
    const full = trade({
      trade_status: 'TRADE_CLOSED',
      refund_fee: '25.00',
      gmt_refund: '2026-11-23 12:00:00.000',
      gmt_close: '2026-11-23 12:00:00',
      out_biz_no: 'MRC002',
    });
    expect(verify(full)).toMatchObject({
      kind: 'refund.succeeded',
      outRefundNo: 'MRC002',
      refundedTotalFen: 2500,
    });
  });

  it('L3: fund_auth_freeze with and without payee_user_id; its currency is carried', () => {
    const freeze = {
      notify_id: '70fec0c2730b27528665af4517c27b95',
      notify_time: '2026-11-23 10:00:02',
      notify_type: 'fund_auth_freeze',
      app_id: ids.appId,
      auth_no: '2026112310002001000000000001',
      out_order_no: 'VAvis01JVISIT0000000000000001',
      out_request_no: 'VFvis01JVISIT0000000000000001',
      operation_id: '20261123000000000001',
      operation_type: 'FREEZE',
      amount: '2000.00',
      credit_amount: '2000.00',
      fund_amount: '0.00',
      status: 'SUCCESS',
      gmt_trans: '2026-11-23 10:00:01',
      trans_currency: 'CNY',
    };
    expect(verify({ ...freeze, payee_user_id: ids.sellerId })).toMatchObject({
      kind: 'authorisation.confirmed',
      authNo: '2026112310002001000000000001',
      authorisedFen: 200000,
      currency: 'CNY',
    });
    expect(verify(freeze).kind).toBe('authorisation.confirmed');
    expect(verify({ ...freeze, trans_currency: 'THB' })).toMatchObject({ currency: 'THB' });
    expect(reason({ ...freeze, payee_user_id: '2088000000000001' })).toBe('WRONG_MERCHANT');
  });

  it('L4: signed over the sorted parameters without sign and sign_type; "%" and "&" in values survive', () => {
    expect(reason(trade())).toBe('accepted');
    expect(reason(trade(), rsaKeyPair().privateKey)).toBe('BAD_SIGNATURE');
    const body = alipayNotificationBody(trade(), alipay.privateKey)
      .toString('utf8')
      .replace('total_amount=25.00', 'total_amount=2500.00');
    expect(() => verifyAlipayNotification(sdk, ids, { headers: {}, body: Buffer.from(body) })).toThrow(
      NotificationRejectedError,
    );
  });

  it('L4: sign_type is not signed, so it must be RSA2; a repeated parameter is refused, never "last one wins"', () => {
    const body = alipayNotificationBody(trade(), alipay.privateKey).toString('utf8');
    const variants = [
      body.replace('sign_type=RSA2', 'sign_type=RSA'),
      body.replace('&sign_type=RSA2', ''),
      `total_amount=1.00&${body}`,
    ];
    for (const v of variants)
      expect(() => verifyAlipayNotification(sdk, ids, { headers: {}, body: Buffer.from(v) })).toThrow(
        NotificationRejectedError,
      );
  });

  it('L1: another app or seller is refused', () => {
    expect(reason(trade({ seller_id: '2088000000000001' }))).toBe('WRONG_MERCHANT');
    expect(reason(trade({ app_id: '2021000000000000' }))).toBe('WRONG_MERCHANT');
  });
});
