/**
 * Inpatients (#23) through the use cases against DynamoDB Local and the sandbox over real HTTP with real
 * signatures (its notifications verified and applied): top-ups by two payers on two wallets, charges and the
 * low-balance crossing, discharge with insurance at the sandbox platform and the surplus refunded to the
 * payers (the most recent top-up first), discharge with arrears paid through their link, and the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../../lib/domain/money';
import { DepositCapExceededError, TopUpPendingError } from '../../../../lib/domain/admission';
import { dischargeAdmission, runDischarge } from '../../../../lib/usecases/admissions/discharge';
import { loadAdmission } from '../../../../lib/usecases/admissions/records';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { openPayLink } from '../../../../lib/usecases/payments/pay-link';
import { refundPayment } from '../../../../lib/usecases/payments/refund';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { onTopUpPaid } from '../../../../lib/usecases/admissions/payment-events';
import { visitEnv } from '../../../support/visit-env';
import { admissionWorld, type Env } from '../../../support/admissions';

describe('admissions', () => {
  let t: Env;
  let w: Awaited<ReturnType<typeof admissionWorld>>;
  beforeAll(async () => {
    t = await visitEnv();
    w = await admissionWorld(t);
  });
  afterAll(() => t.close());

  it('two payers top up on two wallets, charges run the balance down, insurance at discharge, the surplus goes back newest first', async () => {
    const { deps } = w;
    const a = await w.admit({ lowBalanceFen: fen(70_000) });
    const patientOpenId = `o-${a.patientId}`;
    const relative = '2088000000007777';
    const first = await w.topUp(a.admissionId, a.patientId, 'wechatpay', 100_000, patientOpenId);
    const second = await w.topUp(a.admissionId, a.patientId, 'alipay', 50_000, relative, 'qr');
    expect([first.status, second.status]).toEqual(['PAID', 'PAID']);
    expect(second.payerId).toBe(relative);
    let admission = (await loadAdmission(deps.ledger, a.admissionId)).value;
    expect(admission).toMatchObject({ depositsFen: 150_000, chargesFen: 0, lowBalance: false });
    expect(admission.topUps.map((x) => [x.paymentId, x.status, x.payerId])).toEqual([
      [first.paymentId, 'PAID', patientOpenId],
      [second.paymentId, 'PAID', relative],
    ]);

    const day1 = await w.charge(a.admissionId, 'D1-BED', 40_000);
    expect(day1).toMatchObject({ balanceFen: 110_000, lowBalance: false });
    // The same line again changes nothing; another amount under its id is refused.
    expect(await w.charge(a.admissionId, 'D1-BED', 40_000)).toMatchObject({ balanceFen: 110_000 });
    await expect(w.charge(a.admissionId, 'D1-BED', 41_000)).rejects.toMatchObject({
      code: 'CHARGE_ID_REUSED',
    });
    const day2 = await w.charge(a.admissionId, 'D2-BED', 30_000);
    expect(day2).toMatchObject({ balanceFen: 80_000, lowBalance: false });
    const day3 = await w.charge(a.admissionId, 'D3-SELF', 20_000, false);
    expect(day3).toMatchObject({ balanceFen: 60_000, lowBalance: true });
    expect(await w.balances(a.admissionId)).toEqual({ deposit: -150_000, tab: 90_000 });

    // Insurance at discharge: the patient authorises in the WeChat wallet; 6201 + 6202 at the sandbox platform.
    const auth = t.env.sandbox.platform.authorise({ channel: 'wechatpay', payerId: patientOpenId });
    const { admission: discharged } = await dischargeAdmission(deps, a.admissionId, {
      requestedBy: 'staff:ward-3',
      insurance: {
        channel: 'wechatpay',
        authCode: auth.authCode,
        payerId: patientOpenId,
        location: '113.264385,23.129112',
        medicalType: '21',
      },
    });
    const plan = discharged.settlement?.plan;
    expect(discharged.settlement?.insurance?.status).toBe('SETTLED');
    expect(plan).toBeDefined();
    if (!plan) return;
    const insured = plan.split.fundFen + plan.split.personalAccountFen;
    expect(insured).toBeGreaterThan(0);
    expect(insured + plan.split.selfPayFen).toBe(90_000);
    // The unlisted line is self-pay on top of what the platform left to the patient.
    expect(plan.split.selfPayFen).toBeGreaterThanOrEqual(20_000);
    expect(plan.deductedFen).toBe(plan.split.selfPayFen);
    expect(plan.surplusFen).toBe(150_000 - plan.split.selfPayFen);
    expect(plan.arrearsFen).toBe(0);
    // The most recent top-up (the relative's) is refunded first, then the patient's for the rest.
    expect(plan.refunds.map((r) => [r.paymentId, r.amountFen])).toEqual([
      [second.paymentId, 50_000],
      [first.paymentId, plan.surplusFen - 50_000],
    ]);

    admission = await w.settle(a.admissionId);
    expect(admission.status).toBe('SETTLED');
    expect(admission.settlement?.plan?.refunds.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 0 });
    // Each payer got their own money back, once.
    const toRelative = await w.refundsOf('alipay', second.outTradeNo);
    const toPatient = await w.refundsOf('wechatpay', first.outTradeNo);
    expect(toRelative.map((r) => [r.amountFen, r.payer])).toEqual([[50_000, relative]]);
    expect(toPatient.map((r) => [r.amountFen, r.payer])).toEqual([[plan.surplusFen - 50_000, patientOpenId]]);
    expect((await loadPayment(deps.ledger, second.paymentId)).value.status).toBe('REFUNDED');
    // A re-run changes nothing.
    expect((await runDischarge(deps, a.admissionId)).status).toBe('SETTLED');
    expect(await w.refundsOf('alipay', second.outTradeNo)).toHaveLength(1);
  });

  it('arrears: the deposits do not cover the stay; a payment link asks for the rest, and paying it settles the admission', async () => {
    const { deps } = w;
    const a = await w.admit();
    await w.topUp(a.admissionId, a.patientId, 'alipay', 10_000, '2088000000001111');
    await w.charge(a.admissionId, 'D1', 25_000, false);
    const { admission: waiting } = await dischargeAdmission(deps, a.admissionId, {
      requestedBy: 'staff:ward-3',
    });
    expect(waiting.status).toBe('AWAITING_ARREARS');
    expect(waiting.settlement?.plan).toMatchObject({
      deductedFen: 10_000,
      surplusFen: 0,
      arrearsFen: 15_000,
    });
    const arrearsId = waiting.settlement?.arrears?.paymentId ?? '';
    const arrears = (await loadPayment(deps.ledger, arrearsId)).value;
    expect(arrears).toMatchObject({ amountFen: 15_000, mode: 'h5', channel: 'alipay', status: 'PENDING' });
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 15_000 });
    // A relative opens the link and pays it in the wallet.
    const { redirectTo } = await openPayLink(deps, arrears.payLink ?? '', {
      clientIp: '203.0.113.7',
      returnUrl: 'https://h.example/back',
    });
    // Alipay's wap.pay order is made when the browser opens the signed gateway URL (A4).
    expect((await fetch(redirectTo ?? '')).status).toBe(200);
    expect(
      (
        await w.sandbox('/sandbox/pay', {
          channel: 'alipay',
          outTradeNo: arrears.outTradeNo,
          payer: '2088000000002222',
        })
      ).status,
    ).toBe(200);
    const settled = (await loadAdmission(deps.ledger, a.admissionId)).value;
    expect(settled).toMatchObject({ status: 'SETTLED', settlement: { step: 'DONE' } });
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 0 });
  });

  it('refuses clearly: a top-up over the cap, a discharge while a top-up is being paid, a charge after discharge, a deposit refunded by hand', async () => {
    const { deps } = w;
    const a = await w.admit({ depositCapFen: fen(60_000) });
    await expect(
      w.admit({ depositCapFen: fen(60_000), requestedDepositFen: fen(60_001) }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const paid = await w.topUp(a.admissionId, a.patientId, 'wechatpay', 50_000, `o-${a.patientId}`);
    const over = createPayment(deps, {
      patientId: a.patientId,
      channel: 'wechatpay',
      purpose: 'deposit',
      referenceId: a.admissionId,
      amountFen: fen(10_001),
      description: '住院预交金',
      mode: 'qr',
    });
    await expect(over).rejects.toBeInstanceOf(DepositCapExceededError);
    // Another patient's admission is not found.
    await expect(
      createPayment(deps, {
        patientId: 'someone-else',
        channel: 'wechatpay',
        purpose: 'deposit',
        referenceId: a.admissionId,
        amountFen: fen(100),
        description: '住院预交金',
        mode: 'qr',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      refundPayment(deps, { paymentId: paid.paymentId, amountFen: fen(100), reason: 'by hand' }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const { payment: pending } = await createPayment(deps, {
      patientId: a.patientId,
      channel: 'wechatpay',
      purpose: 'deposit',
      referenceId: a.admissionId,
      amountFen: fen(10_000),
      description: '住院预交金',
      mode: 'qr',
    });
    await w.charge(a.admissionId, 'D1', 30_000, false);
    await expect(dischargeAdmission(deps, a.admissionId, { requestedBy: 'staff:x' })).rejects.toBeInstanceOf(
      TopUpPendingError,
    );
    expect((await loadAdmission(deps.ledger, a.admissionId)).value.status).toBe('OPEN');
    // Once the pending top-up is paid, discharge goes ahead; charges are refused from then on.
    const scanned = await w.sandbox('/sandbox/pay', {
      channel: 'wechatpay',
      outTradeNo: pending.outTradeNo,
      payer: 'oRelativeScanning00000000001',
    });
    expect(scanned.body).toMatchObject({ status: 'PAID', responseStatus: 204 });
    const done = await w.settle(
      (await dischargeAdmission(deps, a.admissionId, { requestedBy: 'staff:x' })).admission.admissionId,
    );
    expect(done.status).toBe('SETTLED');
    await expect(w.charge(a.admissionId, 'D2', 1_000)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 0 });
  });

  it('a top-up paid after discharge started is not counted: it is refunded in full, and the deposit ends at zero', async () => {
    const { deps } = w;
    const a = await w.admit();
    await w.topUp(a.admissionId, a.patientId, 'alipay', 20_000, '2088000000003333');
    await w.charge(a.admissionId, 'D1', 5_000, false);
    const { payment: late } = await createPayment(deps, {
      patientId: a.patientId,
      channel: 'alipay',
      purpose: 'deposit',
      referenceId: a.admissionId,
      amountFen: fen(7_000),
      description: '住院预交金',
      mode: 'qr',
    });
    // The order was closed on medpay's side (fault injected: the wallet's close and a payment crossed).
    const current = await loadPayment(deps.ledger, late.paymentId);
    await deps.ledger.commit({
      entities: [deps.ledger.payments.transition(current, { ...current.value, status: 'CLOSED' })],
    });
    const settled = await w.settle(
      (await dischargeAdmission(deps, a.admissionId, { requestedBy: 'staff:x' })).admission.admissionId,
    );
    expect(settled.status).toBe('SETTLED');
    // The wallet's word comes after all: paid. The capture cannot count it on a settled admission.
    const paid = await w.sandbox('/sandbox/pay', {
      channel: 'alipay',
      outTradeNo: late.outTradeNo,
      payer: '2088000000003333',
    });
    expect(paid.body).toMatchObject({ status: 'PAID', responseStatus: 200 });
    expect((await loadPayment(deps.ledger, late.paymentId)).value.status).toBe('PAID');
    expect(await w.balances(a.admissionId)).toEqual({ deposit: -7_000, tab: 0 });
    expect(await onTopUpPaid(deps, late.paymentId)).toBe('refunded');
    // The event again (delivered at least once): the same refund, found by its key, never a second.
    expect(await onTopUpPaid(deps, late.paymentId)).toBe('refunded');
    expect((await loadPayment(deps.ledger, late.paymentId)).value).toMatchObject({
      status: 'REFUNDED',
      refundedFen: 7_000,
    });
    expect(await w.refundsOf('alipay', late.outTradeNo)).toHaveLength(1);
    expect(await w.balances(a.admissionId)).toEqual({ deposit: 0, tab: 0 });
    expect((await loadAdmission(deps.ledger, a.admissionId)).value.depositsFen).toBe(20_000);
  });
});
