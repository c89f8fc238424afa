/**
 * A WeChat mixed order's amounts as medpay reads them, against WeChat's own worked example (W3,
 * create_med_ins_order.go; the identity of W1 §4): total_fee 202000 = gov 100000 + self 45000 + other 5000
 * + med_ins_cash_fee 50000 + cash_add 2000 = the insured parts + wechat_pay_cash_fee 42000 + cash_reduce 10000.
 */
import { describe, expect, it } from 'vitest';
import { medInsOrderState } from '../../../../lib/adapters/wechatpay/med-ins-orders';

/** W3's example order as WeChat reports it, paid. */
const w3 = {
  mix_trade_no: 'MIX1',
  out_trade_no: 'MP1',
  mix_pay_status: 'MIX_PAY_SUCCESS',
  self_pay_status: 'SELF_PAY_SUCCESS',
  total_fee: 202000,
  med_ins_gov_fee: 100000,
  med_ins_self_fee: 45000,
  med_ins_other_fee: 5000,
  med_ins_cash_fee: 50000,
  wechat_pay_cash_fee: 42000,
  cash_add_detail: [{ cash_add_fee: 2000, cash_add_type: 'FREIGHT' }],
  cash_reduce_detail: [{ cash_reduce_fee: 10000, cash_reduce_type: 'DEFAULT_REDUCE_TYPE' }],
};

describe('WeChat mixed order amounts (W1 §4, W3)', () => {
  it('reads what the order settled: total_fee less the reductions, the wallet cash as self-pay, the adjustments', () => {
    const state = medInsOrderState(w3);
    expect(state).toMatchObject({
      status: 'PAID',
      totalFen: 192000,
      split: { fundFen: 105000, personalAccountFen: 45000, selfPayFen: 42000 },
      cashAdjustments: { unlistedFen: 2000, prepaidFen: 10000 },
    });
    const split = state.split;
    expect(split && split.fundFen + split.personalAccountFen + split.selfPayFen).toBe(state.totalFen);
  });

  it('an order without adjustments reads as before: total_fee, med_ins_cash_fee as self-pay, no adjustments', () => {
    const plain = {
      ...w3,
      total_fee: 150000,
      med_ins_cash_fee: 0,
      wechat_pay_cash_fee: 0,
      cash_add_detail: undefined,
      cash_reduce_detail: undefined,
    };
    const state = medInsOrderState(plain);
    expect(state.totalFen).toBe(150000);
    expect(state.split?.selfPayFen).toBe(0);
    expect(state.cashAdjustments).toBeUndefined();
  });

  it('a malformed adjustment leaves the total unread (the notification is refused, nothing believed)', () => {
    const state = medInsOrderState({
      ...w3,
      cash_reduce_detail: [{ cash_reduce_fee: -1, cash_reduce_type: 'PRE_PAYMENT' }],
    });
    expect(state.totalFen).toBeUndefined();
    expect(state.cashAdjustments).toBeUndefined();
  });
});
