/**
 * Conformance: WeChat Pay APIv3 notifications as published, through the adapter's verifier.
 *
 * Facts:
 *   N1 TRANSACTION.SUCCESS (pay.weixin.qq.com/docs/merchant/apis/h5-payment/payment-notice.html: resource
 *      original_type "transaction"; the resource fields as published in developer.work.weixin.qq.com/
 *      document/path/97335): appid, mchid, out_trade_no, transaction_id, trade_type, trade_state SUCCESS,
 *      success_time RFC 3339 ("2018-06-08T10:34:56+08:00"), payer.openid, amount {total, payer_total,
 *      currency "CNY", payer_currency}; "校验返回的订单金额是否与商户侧的订单金额一致".
 *   N2 REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED: the official-doc REFUND resource example (as kept in
 *      fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat EventSamples/Refund/RefundResource.json): mchid (no
 *      appid), out_trade_no, transaction_id, out_refund_no, refund_id, refund_status, success_time,
 *      user_received_account, amount {total, refund, payer_total, payer_refund} — no currency; ABNORMAL is
 *      "退款到银行发现用户的卡作废或者冻结了" (the refund status enum SUCCESS / CLOSE / ABNORMAL).
 *   N3 PAYSCORE.USER_CONFIRM: the official-doc service-order resource (state DOING, state_description
 *      USER_CONFIRM, order_id, risk_fund {name, amount}, time_range in yyyyMMddHHmmss); that sample writes
 *      total_amount as a string ("40000").
 *   N4 PAYSCORE.USER_PAID (pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/success-notification.html):
 *      collection {state USER_PAID, paid_amount, details[{amount, paid_type, paid_time, transaction_id}]};
 *      Pay Score times are yyyyMMddHHmmss ("20091225091210"; "支持yyyyMMddHHmmss和yyyyMMdd两种格式",
 *      pay.weixin.qq.com/docs/partner/apis/partner-weixin-pay-score/partner-service-order/
 *      sync-partner-service-order.html).
 *   N5 the headers Wechatpay-Timestamp, -Nonce, -Signature, -Serial (certificate serial or 微信支付公钥ID) and
 *      the signed string "timestamp\nnonce\nbody\n" (same success-notification page, 2.1 对回调通知进行验签);
 *      a timestamp more than 5 minutes off is refused.
 *   N6 AEAD_AES_256_GCM with the 32-byte APIv3 key, 12-byte nonce, associated_data
 *      (pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter6_1_22.shtml, 参数解密).
 *   N7 MEDICAL_INSURANCE.SUCCESS (wechatpay-apiv3/wechatpay-skills, wechatpay-medical-insurance-payment/
 *      references/1-商户/示例代码/Go/6-回调通知/med_ins_success_callback.md, from pay.weixin.qq.com/doc/v3/
 *      merchant/4016781554): sent only at mix_pay_status MIX_PAY_SUCCESS; the resource carries appid and
 *      openid (no mchid), mix_trade_no, out_trade_no, pay_order_id, the amounts in fen (total_fee,
 *      med_ins_gov_fee, med_ins_self_fee, med_ins_other_fee, med_ins_cash_fee, wechat_pay_cash_fee) and
 *      paid_time RFC 3339.
 *   N8 partner Pay Score (普通服务商): the service order names the service provider as appid and mchid beside
 *      sub_mchid and sub_appid, the patient as openid or sub_openid (ServiceOrderEntity in the Go sample of
 *      pay.weixin.qq.com/docs/partner/apis/partner-weixin-pay-score/partner-service-order/
 *      get-partner-service-order.html; its notifications, /doc/v3/partner/4012155296, carry the order).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  verifyWechatpayNotification,
  type WechatpayNotificationConfig,
} from '../../lib/adapters/wechatpay/notification';
import { rsaKeyPair } from '../support/provider-keys';
import { reasonOf } from './support/read';
import { wechatNotification } from './support/wechatpay';

const platform = rsaKeyPair();
const notifier = {
  apiV3Key: randomBytes(16).toString('hex'),
  serial: 'PUB_KEY_ID_0112345678902024110100000000',
  platformPrivateKey: platform.privateKey,
};
const config: WechatpayNotificationConfig = {
  mchId: '1230000109',
  appId: 'wxd678efh567hg6787',
  apiV3Key: notifier.apiV3Key,
  platformKeys: { [notifier.serial]: platform.publicKey },
};
const verify = (n: ReturnType<typeof wechatNotification>, now = new Date()) =>
  verifyWechatpayNotification(config, n, now);
const reason = (n: ReturnType<typeof wechatNotification>, now = new Date()) => reasonOf(() => verify(n, now));

const transaction = {
  appid: 'wxd678efh567hg6787',
  mchid: '1230000109',
  out_trade_no: '1217752501201407033233368018',
  transaction_id: '1217752501201407033233368018',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'CMC',
  attach: '',
  success_time: '2018-06-08T10:34:56+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
};
const refund = (status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED') => ({
  mchid: '1230000109',
  transaction_id: '1217752501201407033233368018',
  out_trade_no: '1217752501201407033233368018',
  refund_id: '50000000382019052709732678859',
  out_refund_no: '1217752501201407033233368018',
  refund_status: status,
  ...(status === 'SUCCESS' ? { success_time: '2018-06-08T10:34:56+08:00' } : {}),
  user_received_account: '招商银行信用卡0403',
  amount: { total: 999, refund: 999, payer_total: 999, payer_refund: 999 },
});
const serviceOrder = {
  appid: 'wxd678efh567hg6787',
  mchid: '1230000109',
  out_order_no: '1234323JKHDFE1243252',
  service_id: '500001',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  state: 'DOING',
  state_description: 'USER_CONFIRM',
  total_amount: '40000',
  service_introduction: '就诊信用付',
  risk_fund: { name: 'ESTIMATE_ORDER_COST', amount: 10000, description: '就诊预估费用' },
  time_range: { start_time: '20091225091010' },
  order_id: '15646546545165651651',
};
const paidServiceOrder = {
  ...serviceOrder,
  state: 'DONE',
  state_description: 'MCH_COMPLETE',
  total_amount: 3900,
  need_collection: true,
  collection: {
    state: 'USER_PAID',
    total_amount: 3900,
    paying_amount: 0,
    paid_amount: 3900,
    details: [
      {
        amount: 3900,
        paid_type: 'NEWTON',
        paid_time: '20091225091210',
        transaction_id: '4200000000200912250000000001',
      },
    ],
  },
};

describe('WeChat Pay notifications (conformance)', () => {
  it('N1: TRANSACTION.SUCCESS → a paid order in fen, with its currency and RFC 3339 time', () => {
    expect(verify(wechatNotification(notifier, 'TRANSACTION.SUCCESS', transaction))).toMatchObject({
      kind: 'payment.succeeded',
      outTradeNo: '1217752501201407033233368018',
      providerTradeNo: '1217752501201407033233368018',
      amountFen: 100,
      currency: 'CNY',
      paidAt: new Date('2018-06-08T02:34:56Z'),
    });
  });

  it('N1: the currency is carried as sent, so the use case can refuse what is not CNY', () => {
    const usd = { ...transaction, amount: { ...transaction.amount, currency: 'USD' } };
    expect(verify(wechatNotification(notifier, 'TRANSACTION.SUCCESS', usd))).toMatchObject({
      currency: 'USD',
    });
  });

  it('N2: REFUND.SUCCESS, REFUND.ABNORMAL and REFUND.CLOSED, with no appid in the resource', () => {
    expect(verify(wechatNotification(notifier, 'REFUND.SUCCESS', refund('SUCCESS')))).toMatchObject({
      kind: 'refund.succeeded',
      outRefundNo: '1217752501201407033233368018',
      providerRefundId: '50000000382019052709732678859',
      providerTradeNo: '1217752501201407033233368018',
      amountFen: 999,
      paymentTotalFen: 999,
      at: new Date('2018-06-08T02:34:56Z'),
    });
    expect(verify(wechatNotification(notifier, 'REFUND.ABNORMAL', refund('ABNORMAL'))).kind).toBe(
      'refund.abnormal',
    );
    expect(verify(wechatNotification(notifier, 'REFUND.CLOSED', refund('CLOSED'))).kind).toBe(
      'refund.failed',
    );
  });

  it('N2: a refund_status that contradicts its event type is malformed', () => {
    expect(reason(wechatNotification(notifier, 'REFUND.SUCCESS', refund('CLOSED')))).toBe('MALFORMED');
  });

  it('N3: PAYSCORE.USER_CONFIRM (total_amount written as a string) → the authorisation and its risk fund', () => {
    expect(verify(wechatNotification(notifier, 'PAYSCORE.USER_CONFIRM', serviceOrder))).toMatchObject({
      kind: 'authorisation.confirmed',
      outOrderNo: '1234323JKHDFE1243252',
      authNo: '15646546545165651651',
      authorisedFen: 10000,
    });
  });

  it('N4: PAYSCORE.USER_PAID with paid_time "20091225091210" is read as Beijing time', () => {
    expect(verify(wechatNotification(notifier, 'PAYSCORE.USER_PAID', paidServiceOrder))).toMatchObject({
      kind: 'authorisation.captured',
      outOrderNo: '1234323JKHDFE1243252',
      providerTradeNo: '4200000000200912250000000001',
      amountFen: 3900,
      at: new Date('2009-12-25T01:12:10Z'),
    });
  });

  it("N8: a partner Pay Score order (mchid the service provider's, sub_mchid the hospital's) names its sub-merchant", () => {
    const partnerOrder = { ...serviceOrder, sub_mchid: '1900000109', sub_appid: 'wxd678efh567hg6999' };
    expect(verify(wechatNotification(notifier, 'PAYSCORE.USER_CONFIRM', partnerOrder))).toMatchObject({
      kind: 'authorisation.confirmed',
      outOrderNo: '1234323JKHDFE1243252',
      subMerchant: '1900000109',
    });
    // Another service provider's sub-merchant order is not ours, whatever its sub_mchid.
    const foreign = { ...partnerOrder, mchid: '1230000110' };
    expect(reason(wechatNotification(notifier, 'PAYSCORE.USER_CONFIRM', foreign))).toBe('WRONG_MERCHANT');
    // A direct-mode order names no sub-merchant.
    expect(verify(wechatNotification(notifier, 'PAYSCORE.USER_CONFIRM', serviceOrder))).not.toHaveProperty(
      'subMerchant',
    );
  });

  it('N4: a paid_time that is no time at all is malformed, not guessed', () => {
    const bad = {
      ...paidServiceOrder,
      collection: {
        ...paidServiceOrder.collection,
        details: [{ ...paidServiceOrder.collection.details[0], paid_time: '20091345091210' }],
      },
    };
    expect(reason(wechatNotification(notifier, 'PAYSCORE.USER_PAID', bad))).toBe('MALFORMED');
  });

  it('N5: the signature covers timestamp, nonce and the exact body; a changed byte, another key or a stale time fails', () => {
    const good = wechatNotification(notifier, 'TRANSACTION.SUCCESS', transaction);
    const flipped = {
      ...good,
      body: Buffer.from(good.body.toString('utf8').replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESs"')),
    };
    expect(reason(flipped)).toBe('BAD_SIGNATURE');
    const forged = wechatNotification(
      { ...notifier, platformPrivateKey: rsaKeyPair().privateKey },
      'TRANSACTION.SUCCESS',
      transaction,
    );
    expect(reason(forged)).toBe('BAD_SIGNATURE');
    const now = new Date();
    const stale = wechatNotification(notifier, 'TRANSACTION.SUCCESS', transaction, {
      timestamp: Math.floor(now.getTime() / 1000) - 301,
    });
    expect(reason(stale, now)).toBe('STALE_TIMESTAMP');
    const { 'wechatpay-serial': _serial, ...headers } = good.headers;
    expect(reason({ ...good, headers })).toBe('MISSING_HEADERS');
  });

  it('N6: authentic ciphertext that holds JSON null, a number or an array is malformed (a 4xx, never a crash)', () => {
    for (const plaintext of ['null', '42', '[]'])
      expect(reason(wechatNotification(notifier, 'TRANSACTION.SUCCESS', null, { plaintext }))).toBe(
        'MALFORMED',
      );
  });

  it('N6: a resource encrypted with another APIv3 key does not decrypt', () => {
    const other = wechatNotification(
      { ...notifier, apiV3Key: randomBytes(16).toString('hex') },
      'TRANSACTION.SUCCESS',
      transaction,
    );
    expect(reason(other)).toBe('BAD_CIPHERTEXT');
  });

  it('N7: MEDICAL_INSURANCE.SUCCESS becomes the mixed order`s success with its split (gov + other = fund)', () => {
    // W3's worked amounts: total 202000 = gov 100000 + self 45000 + other 5000 + med_ins_cash 50000 + add 2000
    // = the insured parts + wechat_pay_cash_fee 42000 + reduce 10000 (W1 §4).
    const medIns = {
      appid: 'wxd678efh567hg6787',
      openid: 'o4GgauInH_RCEdvrrNGrntXDuXXX',
      mix_trade_no: '202204022005169952975171534816',
      mix_pay_status: 'MIX_PAY_SUCCESS',
      self_pay_status: 'SELF_PAY_SUCCESS',
      med_ins_pay_status: 'MED_INS_PAY_SUCCESS',
      paid_time: '2015-05-20T13:29:35+08:00',
      mix_pay_type: 'CASH_AND_INSURANCE',
      out_trade_no: '202204022005169952975171534816',
      pay_order_id: 'ORD530100202204022006350000021',
      total_fee: 202000,
      med_ins_gov_fee: 100000,
      med_ins_self_fee: 45000,
      med_ins_other_fee: 5000,
      med_ins_cash_fee: 50000,
      wechat_pay_cash_fee: 42000,
      cash_add_detail: [{ cash_add_fee: 2000, cash_add_type: 'FREIGHT' }],
      cash_reduce_detail: [{ cash_reduce_fee: 10000, cash_reduce_type: 'DEFAULT_REDUCE_TYPE' }],
    };
    // What the order settled: total_fee less the reduction; the wallet's cash is the self-pay part.
    expect(verify(wechatNotification(notifier, 'MEDICAL_INSURANCE.SUCCESS', medIns))).toMatchObject({
      kind: 'insurance.succeeded',
      outTradeNo: medIns.out_trade_no,
      channelOrderNo: medIns.mix_trade_no,
      totalFen: 192000,
      split: { fundFen: 105000, personalAccountFen: 45000, selfPayFen: 42000 },
      cashAdjustments: { unlistedFen: 2000, prepaidFen: 10000 },
      payOrdId: medIns.pay_order_id,
      payerId: medIns.openid,
      paidAt: new Date('2015-05-20T05:29:35Z'),
    });
    const { total_fee: _dropped, ...noTotal } = medIns;
    expect(reason(wechatNotification(notifier, 'MEDICAL_INSURANCE.SUCCESS', noTotal))).toBe('MALFORMED');
    // Amounts that break W1 §4's identity (the reduction left out) are not believed.
    const { cash_reduce_detail: _reduce, ...unreduced } = medIns;
    expect(reason(wechatNotification(notifier, 'MEDICAL_INSURANCE.SUCCESS', unreduced))).toBe('MALFORMED');
    expect(
      reason(
        wechatNotification(notifier, 'MEDICAL_INSURANCE.SUCCESS', {
          ...medIns,
          mix_pay_status: 'MIX_PAY_FAIL',
        }),
      ),
    ).toBe('MALFORMED');
    expect(
      reason(
        wechatNotification(notifier, 'MEDICAL_INSURANCE.SUCCESS', { ...medIns, appid: 'wx0000000000000000' }),
      ),
    ).toBe('WRONG_MERCHANT');
  });
});
