/**
 * Conformance: the refund fields medpay reads for a refund's progress, as published.
 *
 * Facts:
 *   R1 WeChat 查询单笔退款 (pay.weixin.qq.com/docs/merchant/apis/refund/refunds/query-by-out-refund-no.html;
 *      wechatpay-apiv3/wechatpay-go services/refunddomestic/models.go): `status` SUCCESS | CLOSED | PROCESSING |
 *      ABNORMAL ("退款到银行发现用户的卡作废或者冻结了，导致原路退款银行卡失败"); `channel` ORIGINAL | BALANCE |
 *      OTHER_BALANCE | OTHER_BANKCARD; `user_received_account` "1）退回银行卡：{银行名称}{卡类型}{卡尾号}
 *      2）退回支付用户零钱：支付用户零钱 3）退还商户：商户基本账户 商户结算银行账户 4）退回支付用户零钱通：
 *      支付用户零钱通", example "招商银行信用卡0403"; `success_time` only on SUCCESS.
 *   R2 the REFUND.* notification resource carries `user_received_account` but no `channel` (tests/conformance
 *      wechatpay-notifications N2).
 *   R3 Alipay alipay.trade.refund `refund_detail_item_list` (returned when asked in `query_options`), each a
 *      TradeFundBill: `fund_channel` (ALIPAYACCOUNT the balance, BANKCARD a bank card …), `amount`,
 *      `real_amount`, `fund_type` "目前只在资金渠道(fund_channel)是银行卡渠道(BANKCARD)的情况下才返回该信息
 *      (DEBIT_CARD:借记卡,CREDIT_CARD:信用卡,MIXED_CARD:借贷合一卡)" (alipay-sdk TradeFundBill).
 */
import { describe, expect, it } from 'vitest';
import { wechatRefundDestination, wechatRefundState } from '../../lib/adapters/wechatpay/refunds';
import { alipayRefundDestination } from '../../lib/adapters/alipay/provider';

/** R1's published example refund. */
const queried = {
  refund_id: '50000000382019052709732678859',
  out_refund_no: '1217752501201407033233368018',
  transaction_id: '1217752501201407033233368018',
  out_trade_no: '1217752501201407033233368018',
  channel: 'ORIGINAL',
  user_received_account: '招商银行信用卡0403',
  success_time: '2020-12-01T16:18:12+08:00',
  create_time: '2020-12-01T16:18:12+08:00',
  status: 'SUCCESS',
  amount: { total: 100, refund: 100, payer_total: 90, payer_refund: 90, currency: 'CNY' },
};

describe('WeChat refunds (R1, R2)', () => {
  it('reads the published example: succeeded, to the card it names', () => {
    expect(wechatRefundState(queried)).toEqual({
      status: 'SUCCEEDED',
      providerRefundId: queried.refund_id,
      succeededAt: new Date('2020-12-01T08:18:12Z'),
      destination: { kind: 'BANK_CARD', account: '招商银行信用卡0403' },
    });
  });

  it('ABNORMAL is its own state (never FAILED: the money is on its way back), CLOSED is FAILED', () => {
    expect(wechatRefundState({ ...queried, status: 'ABNORMAL', success_time: undefined }).status).toBe(
      'ABNORMAL',
    );
    expect(wechatRefundState({ ...queried, status: 'CLOSED' }).status).toBe('FAILED');
    expect(wechatRefundState({ ...queried, status: 'PROCESSING' }).status).toBe('PROCESSING');
  });

  it('names each published destination', () => {
    expect(wechatRefundDestination('ORIGINAL', '支付用户零钱')?.kind).toBe('BALANCE');
    expect(wechatRefundDestination('ORIGINAL', '支付用户零钱通')?.kind).toBe('BALANCE');
    expect(wechatRefundDestination('BALANCE', '支付用户零钱')?.kind).toBe('BALANCE');
    expect(wechatRefundDestination('OTHER_BANKCARD', '工商银行借记卡5678')?.kind).toBe('BANK_CARD');
    expect(wechatRefundDestination('ORIGINAL', '商户基本账户')?.kind).toBe('MERCHANT');
    expect(wechatRefundDestination('ORIGINAL', '商户结算银行账户')?.kind).toBe('MERCHANT');
    // A notification names the account only (R2).
    expect(wechatRefundDestination(undefined, '招商银行信用卡0403')?.kind).toBe('BANK_CARD');
    expect(wechatRefundDestination(undefined, '')).toBeUndefined();
  });
});

describe('Alipay refunds (R3)', () => {
  it('the balance, a bank card with its type, or the instrument that paid', () => {
    expect(alipayRefundDestination([{ fund_channel: 'ALIPAYACCOUNT', amount: '10.00' }])).toEqual({
      kind: 'BALANCE',
      account: '支付宝余额',
    });
    expect(
      alipayRefundDestination([{ fund_channel: 'BANKCARD', amount: '11.21', fund_type: 'DEBIT_CARD' }]),
    ).toEqual({ kind: 'BANK_CARD', account: '银行卡（借记卡）' });
    expect(alipayRefundDestination([{ fund_channel: 'PCREDIT', amount: '5.00' }])).toEqual({
      kind: 'OTHER',
      account: 'PCREDIT',
    });
    // The largest part names it; nothing reported, nothing claimed.
    expect(
      alipayRefundDestination([
        { fund_channel: 'COUPON', amount: '1.00' },
        { fund_channel: 'ALIPAYACCOUNT', amount: '9.00' },
      ])?.kind,
    ).toBe('BALANCE');
    expect(alipayRefundDestination(undefined)).toBeUndefined();
  });
});
