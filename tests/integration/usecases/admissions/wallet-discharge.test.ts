/**
 * Discharge through WeChat's mixed order (#23; W1 §4, W2 §3) against DynamoDB Local and the sandbox over real
 * HTTP with real signatures: one IN_HOSP_PAY order carries insurance's parts, the unlisted charges
 * (OTHER_MEDICAL_EXPENSES) and the deposits taken off (PRE_PAYMENT); the patient confirms it and its
 * MEDICAL_INSURANCE.SUCCESS notification fixes the plan. A surplus goes back to the top-ups, arrears are the
 * order's cash, an order closed unpaid reopens the admission, and a capture no admission awaits is an alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dischargeAdmission, runDischarge } from '../../../../lib/usecases/admissions/discharge';
import { loadAdmission } from '../../../../lib/usecases/admissions/records';
import { admissionStatement } from '../../../../lib/usecases/admissions/statement';
import { closePayment } from '../../../../lib/usecases/payments/close';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { visitEnv } from '../../../support/visit-env';
import { admissionWorld, type Env } from '../../../support/admissions';

describe('discharge in the WeChat wallet (IN_HOSP_PAY, deposits as PRE_PAYMENT)', () => {
  let t: Env;
  let w: Awaited<ReturnType<typeof admissionWorld>>;
  beforeAll(async () => {
    t = await visitEnv();
    w = await admissionWorld(t);
  });
  afterAll(() => t.close());

  /** An admission with `deposit` topped up by the patient, a listed and an unlisted charge, discharged in WeChat. */
  async function dischargedInWallet(deposit: number) {
    const a = await w.admit();
    const openId = `o-${a.patientId}`;
    const topUp = await w.topUp(a.admissionId, a.patientId, 'wechatpay', deposit, openId);
    await w.charge(a.admissionId, 'D1-BED', 40_000);
    await w.charge(a.admissionId, 'D1-SELF', 20_000, false);
    const auth = t.env.sandbox.platform.authorise({ channel: 'wechatpay', payerId: openId });
    const started = await dischargeAdmission(w.deps, a.admissionId, {
      requestedBy: 'staff:ward-3',
      insurance: {
        channel: 'wechatpay',
        authCode: auth.authCode,
        payerId: openId,
        location: '113.264385,23.129112',
        medicalType: '21',
        settleIn: 'wallet',
      },
    });
    const insurance = started.admission.settlement?.insurance;
    const order = (await loadPayment(w.deps.ledger, insurance?.paymentId ?? '')).value;
    return { a, topUp, started, insurance, order };
  }

  /** The patient enters the password in WeChat (the sandbox posts MEDICAL_INSURANCE.SUCCESS to medpay). */
  const confirm = async (outTradeNo: string) =>
    expect((await w.sandbox('/sandbox/medical-insurance/pay', { outTradeNo })).status).toBe(200);

  it('deposits cover the self-pay part: INSURANCE_ONLY, the surplus goes back, deposit and tab at zero', async () => {
    const { a, topUp, started, insurance, order } = await dischargedInWallet(100_000);
    expect(started.admission).toMatchObject({ status: 'SETTLING', settlement: { step: 'INSURANCE' } });
    expect(insurance).toMatchObject({ status: 'ORDERING', settleIn: 'wallet' });
    expect(started.clientParams).toEqual({ mixTradeNo: order.insurance?.channelOrderNo });
    const split = insurance?.split;
    if (!split || !order.insurance) throw new Error('no split');
    // Self-pay: the platform's share of the listed line plus the unlisted line; the deposits cover all of it.
    expect(split.selfPayFen).toBeGreaterThanOrEqual(20_000);
    expect(order).toMatchObject({
      purpose: 'deposit',
      admission: { admissionId: a.admissionId, kind: 'DISCHARGE' },
      amountFen: split.fundFen + split.personalAccountFen,
      status: 'PENDING',
    });
    expect(order.insurance).toMatchObject({
      mixPayType: 'INSURANCE_ONLY',
      split: { ...split, selfPayFen: 0 },
      cashAdjustments: { unlistedFen: 20_000, prepaidFen: split.selfPayFen },
    });
    const sent = [...t.env.sandbox.medical.mixOrders.values()].find((o) => o.outTradeNo === order.outTradeNo);
    expect(sent?.request).toMatchObject({
      order_type: 'IN_HOSP_PAY',
      total_fee: 60_000,
      wechat_pay_cash_fee: 0,
      cash_reduce_detail: [{ cash_reduce_fee: split.selfPayFen, cash_reduce_type: 'PRE_PAYMENT' }],
      cash_add_detail: [{ cash_add_fee: 20_000, cash_add_type: 'OTHER_MEDICAL_EXPENSES' }],
    });
    // Nothing is booked until the patient confirms.
    expect(await w.balances(a.admissionId)).toEqual({ deposit: -100_000, tab: 60_000 });
    expect((await runDischarge(w.deps, a.admissionId)).settlement?.step).toBe('INSURANCE');

    await confirm(order.outTradeNo);
    expect((await loadPayment(w.deps.ledger, order.paymentId)).value.status).toBe('PAID');
    const booked = (await loadAdmission(w.deps.ledger, a.admissionId)).value;
    expect(booked.settlement).toMatchObject({
      step: 'BOOK',
      insurance: { status: 'SETTLED' },
      plan: { deductedFen: split.selfPayFen, surplusFen: 100_000 - split.selfPayFen, arrearsFen: 0 },
    });
    const settled = await w.settle(a.admissionId);
    expect(settled.status).toBe('SETTLED');
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 0 });
    expect((await w.refundsOf('wechatpay', topUp.outTradeNo)).map((r) => r.amountFen)).toEqual([
      100_000 - split.selfPayFen,
    ]);
    const statement = await admissionStatement(w.deps, a.admissionId);
    expect(statement.totals).toMatchObject({
      toppedUpFen: 100_000,
      chargedFen: 60_000,
      insuredFen: split.fundFen + split.personalAccountFen,
      deductedFen: split.selfPayFen,
      refundedFen: 100_000 - split.selfPayFen,
      arrearsPaidFen: 0,
      depositFen: 0,
      tabFen: 0,
    });
    // A second notification of the same order changes nothing.
    expect((await runDischarge(w.deps, a.admissionId)).status).toBe('SETTLED');
  });

  it('deposits short of the self-pay part: CASH_AND_INSURANCE, the arrears are the order cash, no link asked', async () => {
    const { a, insurance, order, started } = await dischargedInWallet(10_000);
    const split = insurance?.split;
    if (!split) throw new Error('no split');
    const cash = split.selfPayFen - 10_000;
    expect(order.insurance).toMatchObject({
      mixPayType: 'CASH_AND_INSURANCE',
      split: { ...split, selfPayFen: cash },
      cashAdjustments: { unlistedFen: 20_000, prepaidFen: 10_000 },
    });
    expect(started.clientParams?.package).toMatch(/^prepay_id=/);
    await confirm(order.outTradeNo);
    const settled = await w.settle(a.admissionId);
    expect(settled.status).toBe('SETTLED');
    expect(settled.settlement?.arrears).toBeUndefined();
    expect(settled.settlement?.plan).toMatchObject({
      deductedFen: 10_000,
      surplusFen: 0,
      arrearsFen: 0,
      paidInOrderFen: cash,
      refunds: [],
    });
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 0 });
    expect((await admissionStatement(w.deps, a.admissionId)).totals).toMatchObject({
      insuredFen: split.fundFen + split.personalAccountFen,
      deductedFen: 10_000,
      arrearsPaidFen: cash,
      tabFen: 0,
    });
  });

  it('an order closed unpaid reopens the admission, nothing booked; discharging again works', async () => {
    const { a, order } = await dischargedInWallet(100_000);
    expect((await closePayment(w.deps, order.paymentId)).status).toBe('CLOSED');
    const reopened = await runDischarge(w.deps, a.admissionId);
    expect(reopened.status).toBe('OPEN');
    expect(reopened.settlement).toBeUndefined();
    expect(reopened.lastDischargeError).toContain(order.paymentId);
    expect(await w.balances(a.admissionId)).toEqual({ deposit: -100_000, tab: 60_000 });
    // The platform's upload was abandoned (6401) with the order.
    expect(t.env.sandbox.platform.orders.get(order.insurance?.payOrdId ?? '')?.status).not.toBe('SETTLED');
    const { admission } = await dischargeAdmission(w.deps, a.admissionId, { requestedBy: 'staff:ward-3' });
    expect((await w.settle(admission.admissionId)).status).toBe('SETTLED');
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 0 });
  });

  it('refuses the wallet path on Alipay (no deduction of deposits is published there)', async () => {
    const a = await w.admit();
    await w.charge(a.admissionId, 'D1-BED', 40_000);
    await expect(
      dischargeAdmission(w.deps, a.admissionId, {
        requestedBy: 'staff:ward-3',
        insurance: {
          channel: 'alipay',
          authCode: 'x',
          payerId: '2088000000001111',
          location: '113.264385,23.129112',
          medicalType: '21',
          settleIn: 'wallet',
        },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await loadAdmission(w.deps.ledger, a.admissionId)).value.status).toBe('OPEN');
  });
});
