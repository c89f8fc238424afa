/**
 * The inpatient domain (#23): the running balance and its low-balance crossing, the discharge plan, and the
 * surplus allocation, held to the providers' published refund limits: WeChat 申请退款 notes 1 and 4
 * (pay.weixin.qq.com/doc/v3/merchant/4012556457): no refund of an order paid over a year (365 days) ago, at
 * most 50 refunds per order. And the legacy-balance plan's reasons.
 */
import { describe, expect, it } from 'vitest';
import {
  allocateSurplus,
  assertMayTopUp,
  awaitedOrder,
  balanceOf,
  dischargePlan,
  withCharge,
  withOrderPaid,
  withTopUpPaid,
  type Admission,
  type RefundableTopUp,
} from '../../../lib/domain/admission';
import { planLegacyRefund, legacyOutcome } from '../../../lib/domain/legacy-balance';
import { fen } from '../../../lib/domain/money';

const NOW = new Date('2026-12-06T08:00:00Z');
const DAY = 24 * 3_600_000;
const admission = (over: Partial<Admission> = {}): Admission => ({
  admissionId: 'ZY1',
  patientId: 'P1',
  ward: 'W',
  status: 'OPEN',
  requestedDepositFen: fen(50_000),
  depositCapFen: fen(100_000),
  lowBalanceFen: fen(20_000),
  openedAt: NOW.toISOString(),
  depositsFen: fen(0),
  chargesFen: fen(0),
  chargeCount: 0,
  topUps: [],
  lowBalance: false,
  ...over,
});
const topUp = (
  paymentId: string,
  paidDaysAgo: number,
  refundableFen: number,
  refundCount = 0,
): RefundableTopUp => ({
  paymentId,
  channel: 'wechatpay',
  paidAt: new Date(NOW.getTime() - paidDaysAgo * DAY).toISOString(),
  refundableFen: fen(refundableFen),
  refundCount,
});
const ids = (id: string) => `rfd_${id}`;

describe('the running balance', () => {
  it('goes negative in arrears, and tells the ward once per crossing under the threshold', () => {
    let a = admission({ depositsFen: fen(30_000) });
    const first = withCharge(a, fen(5_000));
    expect([balanceOf(first.next), first.lowBalance]).toEqual([25_000, false]);
    const crossing = withCharge(first.next, fen(10_000));
    expect([balanceOf(crossing.next), crossing.lowBalance]).toEqual([15_000, true]);
    const further = withCharge(crossing.next, fen(20_000));
    expect([balanceOf(further.next), further.lowBalance]).toEqual([-5_000, false]);
    // A top-up above the threshold re-arms it; the next crossing is told again.
    a = {
      ...further.next,
      topUps: [{ paymentId: 'T', amountFen: fen(40_000), channel: 'alipay', status: 'PENDING' }],
    };
    const topped = withTopUpPaid(a, { paymentId: 'T', paidAt: NOW.toISOString(), payerId: 'relative' });
    expect([balanceOf(topped), topped.lowBalance, topped.topUps[0]?.payerId]).toEqual([
      35_000,
      false,
      'relative',
    ]);
    expect(withCharge(topped, fen(20_000)).lowBalance).toBe(true);
  });

  it('refuses a top-up over the cap or once discharge started', () => {
    expect(() => assertMayTopUp(admission({ depositsFen: fen(90_000) }), fen(10_001))).toThrow(
      /10000 fen more/,
    );
    expect(() => assertMayTopUp(admission({ depositsFen: fen(90_000) }), fen(10_000))).not.toThrow();
    expect(() => assertMayTopUp(admission({ status: 'SETTLING' }), fen(1))).toThrow(/SETTLING/);
  });
});

describe('the discharge plan', () => {
  it('insurance pays its parts, the deposits the self-pay part, the rest is surplus or arrears', () => {
    const split = { fundFen: fen(50_000), personalAccountFen: fen(10_000), selfPayFen: fen(30_000) };
    expect(dischargePlan({ depositsFen: fen(100_000), chargesFen: fen(90_000) }, split)).toEqual({
      deductedFen: 30_000,
      surplusFen: 70_000,
      arrearsFen: 0,
    });
    expect(dischargePlan({ depositsFen: fen(20_000), chargesFen: fen(90_000) }, split)).toEqual({
      deductedFen: 20_000,
      surplusFen: 0,
      arrearsFen: 10_000,
    });
    expect(() => dischargePlan({ depositsFen: fen(0), chargesFen: fen(90_001) }, split)).toThrow(/add up/);
  });

  it("WeChat's discharge order: only the order the settlement awaits is believed; paid, no arrears are asked", () => {
    const split = { fundFen: fen(50_000), personalAccountFen: fen(10_000), selfPayFen: fen(30_000) };
    const waiting = admission({
      status: 'SETTLING',
      depositsFen: fen(20_000),
      chargesFen: fen(90_000),
      settlement: {
        step: 'INSURANCE',
        requestedBy: 'staff:x',
        requestedAt: NOW.toISOString(),
        arrearsChannel: 'wechatpay',
        insurance: {
          status: 'ORDERING',
          settleIn: 'wallet',
          paymentId: 'pay_1',
          channel: 'wechatpay',
          payOrdId: 'ORD1',
          payToken: 'T',
          medOrgOrd: 'MO1',
          chargeBatchNo: 'ZY1',
          split,
          orderedAt: NOW.toISOString(),
        },
      },
    });
    const awaited = awaitedOrder(waiting, 'pay_1');
    const plan = { split, deductedFen: fen(20_000), surplusFen: fen(0), arrearsFen: fen(10_000) };
    expect(withOrderPaid(awaited, { ...plan, refunds: [], unrefundableFen: fen(0) })).toMatchObject({
      step: 'BOOK',
      insurance: { status: 'SETTLED' },
      plan: { deductedFen: 20_000, arrearsFen: 0, paidInOrderFen: 10_000 },
    });
    expect(() => awaitedOrder(waiting, 'pay_2')).toThrow(
      expect.objectContaining({ code: 'INTEGRITY_ALERT' }),
    );
    expect(() => awaitedOrder({ ...waiting, status: 'OPEN' }, 'pay_1')).toThrow(
      expect.objectContaining({ code: 'INTEGRITY_ALERT' }),
    );
  });
});

describe('the surplus allocation', () => {
  it('refunds the most recent top-up first, never beyond what a payment has left', () => {
    const { refunds, unrefundableFen } = allocateSurplus(
      [topUp('OLD', 10, 50_000), topUp('NEW', 1, 20_000), topUp('MID', 5, 30_000)],
      fen(60_000),
      NOW,
      ids,
    );
    expect(refunds.map((r) => [r.paymentId, r.amountFen, r.refundId, r.status])).toEqual([
      ['NEW', 20_000, 'rfd_NEW', 'PLANNED'],
      ['MID', 30_000, 'rfd_MID', 'PLANNED'],
      ['OLD', 10_000, 'rfd_OLD', 'PLANNED'],
    ]);
    expect(unrefundableFen).toBe(0);
  });

  it('takes two top-ups paid in the same second in the order they were asked for', () => {
    const same = [topUp('ASKED-FIRST', 1, 10_000), topUp('ASKED-SECOND', 1, 10_000)];
    expect(allocateSurplus(same, fen(5_000), NOW, ids).refunds.map((r) => r.paymentId)).toEqual([
      'ASKED-SECOND',
    ]);
  });

  it('passes over a payment past the 365-day window or at 50 refunds: what none can take is unrefundable', () => {
    const { refunds, unrefundableFen } = allocateSurplus(
      [topUp('WITHIN', 365, 10_000), topUp('PAST', 366, 50_000), topUp('FULL', 2, 50_000, 50)],
      fen(30_000),
      NOW,
      ids,
    );
    expect(refunds.map((r) => [r.paymentId, r.amountFen])).toEqual([['WITHIN', 10_000]]);
    expect(unrefundableFen).toBe(20_000);
  });
});

describe('legacy balances', () => {
  const balance = { balanceId: 'B1', patientId: 'P1', amountFen: fen(1_000) };
  const paid = (id: string, daysAgo: number, left: number, patientId = 'P1') => ({
    ...topUp(id, daysAgo, left),
    found: true as const,
    patientId,
  });
  it('refunds what the payments can take and says why the rest cannot be', () => {
    const plan = planLegacyRefund(
      balance,
      [
        { paymentId: 'GONE', found: false },
        paid('THEIRS', 1, 5_000, 'P2'),
        paid('OLD', 400, 5_000),
        paid('EMPTY', 3, 0),
        paid('OK', 2, 300),
      ],
      NOW,
      ids,
    );
    expect(plan.refunds.map((r) => [r.paymentId, r.amountFen])).toEqual([['OK', 300]]);
    expect(plan.unrefundableFen).toBe(700);
    expect(plan.failures.map((f) => [f.paymentId, f.code])).toEqual([
      ['GONE', 'UNKNOWN_PAYMENT'],
      ['THEIRS', 'OTHER_PATIENT'],
      ['OLD', 'REFUND_WINDOW_PASSED'],
      ['EMPTY', 'ALREADY_REFUNDED'],
    ]);
    const asked = { ...plan, refunds: plan.refunds.map((r) => ({ ...r, status: 'SUCCEEDED' as const })) };
    expect(legacyOutcome(asked)).toBe('PARTIAL');
    expect(legacyOutcome({ refunds: [], unrefundableFen: fen(1_000) })).toBe('FAILED');
  });
});
