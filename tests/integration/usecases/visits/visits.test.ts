import { recorded } from '../../../support/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import { fen } from '../../../../lib/domain/money';
import { addCharge } from '../../../../lib/usecases/visits/add-charge';
import { voidCharge } from '../../../../lib/usecases/visits/void-charge';
import { cancelVisit } from '../../../../lib/usecases/visits/cancel';
import { preauthoriseInsurance } from '../../../../lib/usecases/visits/preauthorise';
import { openVisit } from '../../../../lib/usecases/visits/open';
import { loadVisit } from '../../../../lib/usecases/visits/records';
import { settleVisit } from '../../../../lib/usecases/visits/settle';
import { applyProviderEvent } from '../../../../lib/usecases/notifications';
import { runVisitJobs } from '../../../../lib/usecases/visits/visit-jobs';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { netOf, visitEnv } from '../../../support/visit-env';
import { netOf as netOfPostings } from '../../../../lib/domain/ledger/journal';

const payOff = (patientId: string, visitId: string) => ({
  patientId,
  channel: 'wechatpay' as const,
  purpose: 'other' as const,
  referenceId: visitId,
  amountFen: fen(5_000),
  description: '就医欠费补缴',
  payer: { wechatOpenId: `o-${patientId}` },
  mode: 'mini-program' as const,
});

const payerOf = (channel: Channel, patientId: string) =>
  channel === 'alipay'
    ? { alipayUserId: `2088${patientId.padStart(12, '0').slice(-12)}` }
    : { wechatOpenId: `o-${patientId}` };

describe('pay-later visits against the sandbox (real HTTP, RSA, AES-GCM) and DynamoDB Local', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  let deps: AppDeps;
  beforeAll(async () => {
    t = await visitEnv();
    deps = t.deps;
  });
  afterAll(() => t.close());

  const authorised = (channel: Channel, insured = true) => t.authorisedVisit(channel, insured);
  const charge = (
    chargeId: string,
    category: 'examination' | 'laboratory' | 'prescription' | 'registration',
    amountFen: number,
    listCode?: string,
  ) => ({
    chargeId,
    category,
    description: chargeId,
    amountFen: fen(amountFen),
    ...(listCode ? { listing: { listCode, hospitalListCode: `H-${chargeId}`, quantity: '1' } } : {}),
  });
  /** The patient authorises insurance in the sandbox wallet; medpay settles the listed charges with it. */
  const authCodeFor = async (visitId: string) => {
    const { channel, payer } = (await loadVisit(deps.ledger, visitId)).value;
    return t.env.sandbox.platform.authorise({
      channel,
      payerId: channel === 'alipay' ? payer.alipayUserId : payer.wechatOpenId,
    }).authCode;
  };
  const insure = async (visitId: string) =>
    preauthoriseInsurance(deps, visitId, {
      authCode: await authCodeFor(visitId),
      location: '113.264385,23.129112',
    });
  const platformOrder = (payOrdId: string) => t.env.sandbox.platform.orders.get(payOrdId);
  const waitFor = async <T>(read: () => Promise<T>, done: (v: T) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const v = await read();
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    return read();
  };

  for (const channel of ['alipay', 'wechatpay'] as const) {
    it(`${channel}: authorise → charges → over-limit refused → insurance (6201 + 6202) → one settlement`, async () => {
      const { visitId, patientId, outOrderNo } = await authorised(channel);
      expect((await loadVisit(deps.ledger, visitId)).value.status).toBe('OPEN');
      await addCharge(deps, visitId, charge('REG1', 'registration', 1_500)); // not listed: self-pay
      await addCharge(deps, visitId, charge('LAB1', 'laboratory', 12_000, '250101001'));
      await addCharge(deps, visitId, charge('RX1', 'prescription', 30_000, 'XA01'));
      await expect(addCharge(deps, visitId, charge('BIG', 'examination', 60_000))).rejects.toMatchObject({
        code: 'CREDIT_LIMIT_EXCEEDED',
        context: { availableCreditFen: 100_000 - 43_500 },
      });
      const hold = await insure(visitId);
      // Sandbox platform: service items 80 %, western drugs 70 %; a fresh patient's ¥100 personal account.
      expect(hold).toMatchObject({
        status: 'HELD',
        insuredFen: 9_600 + 21_000,
        personalAccountFen: 10_000,
        selfPayFen: 43_500 - 30_600 - 10_000, // the listed lines' cash part and the registration
        tabVersion: 3,
      });
      // The platform settled the two listed lines under one order (6202), and holds nothing more.
      expect(platformOrder(hold.preauthId)).toMatchObject({
        status: 'SETTLED',
        totalFen: 42_000,
        fundFen: 30_600,
        personalAccountFen: 10_000,
        chrgBchno: `${visitId}.3`,
      });
      expect(platformOrder(hold.preauthId)?.orgBizSers).toHaveLength(1);
      // The same tab again: the same hold; the new authorisation is not used.
      const again = t.env.sandbox.platform.authorise({ channel, payerId: 'unused' });
      expect(await preauthoriseInsurance(deps, visitId, { authCode: again.authCode })).toEqual(hold);
      expect(again.payAuthNo).toBeUndefined();

      const first = await settleVisit(deps, visitId, { requestedBy: 'staff:S1' });
      const settled =
        first.status === 'SETTLED'
          ? first
          : (
              await waitFor(
                () => loadVisit(deps.ledger, visitId),
                (v) => v.value.status === 'SETTLED',
              )
            ).value;
      expect(settled.status).toBe('SETTLED');
      expect(settled.insurance?.status).toBe('SETTLED');
      expect(settled.settlement).toMatchObject({
        insuredFen: hold.insuredFen,
        personalAccountFen: hold.personalAccountFen,
        selfPayFen: hold.selfPayFen,
        capturedFen: hold.selfPayFen,
        releasedFen: 100_000 - hold.selfPayFen,
      });
      // Settling again: the same result, still one capture at the provider.
      expect((await settleVisit(deps, visitId, { requestedBy: 'staff:S1' })).settlement).toEqual(
        settled.settlement,
      );
      const captures = t.env.sandbox.credit.captures.filter((c) => c.outOrderNo === outOrderNo);
      expect(captures).toEqual([expect.objectContaining({ amountFen: hold.selfPayFen })]);
      if (channel === 'alipay') {
        const freeze = t.env.sandbox.credit.freezes.get(outOrderNo);
        expect(freeze).toMatchObject({
          status: 'FINISH',
          payFen: hold.selfPayFen,
          unfreezeFen: 100_000 - hold.selfPayFen,
        });
      } else {
        expect(t.env.sandbox.credit.serviceOrders.get(outOrderNo)).toMatchObject({
          state: 'DONE',
          totalFen: hold.selfPayFen,
        });
      }
      // The ledger: receivable back to zero, the fund and the personal account owe their parts, clearing
      // holds the capture.
      const journal = await t.journalOf(visitId);
      for (const txn of journal) expect(netOfPostings(txn.postings)).toBe(0);
      expect((await deps.ledger.balanceOf(`patient:${patientId}:receivable` as never)).netFen).toBe(0);
      expect(netOf(journal, 'insurance:fund:receivable')).toBe(hold.insuredFen);
      expect(netOf(journal, 'insurance:personal-account:receivable')).toBe(hold.personalAccountFen);
      expect(netOf(journal, `channel:${channel}:clearing`)).toBe(hold.selfPayFen);
      expect((await deps.ledger.creditLocks.get(patientId))?.value.status).toBe('FREE');
    });
  }

  it('zero self-pay captures nothing and releases the whole authorisation', async () => {
    const { visitId, outOrderNo } = await authorised('alipay');
    t.env.sandbox.platform.settings.coverage.T = { ratioBp: 10_000 };
    try {
      await addCharge(deps, visitId, charge('T1', 'examination', 10_000, 'T001'));
      expect(await insure(visitId)).toMatchObject({ insuredFen: 10_000, selfPayFen: 0 });
    } finally {
      delete t.env.sandbox.platform.settings.coverage.T;
    }
    const settled = await settleVisit(deps, visitId, { requestedBy: 'staff:S1' });
    expect(settled).toMatchObject({
      status: 'SETTLED',
      settlement: { selfPayFen: 0, capturedFen: 0, releasedFen: 100_000 },
    });
    expect(t.env.sandbox.credit.captures.filter((c) => c.outOrderNo === outOrderNo)).toHaveLength(0);
    expect(t.env.sandbox.credit.freezes.get(outOrderNo)).toMatchObject({
      status: 'CLOSED',
      unfreezeFen: 100_000,
    });
  });

  it('a charge after insurance: the old hold is refunded (6203); the settlement waits for the patient, who authorises again', async () => {
    const { visitId } = await authorised('wechatpay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 10_000, '250101001'));
    const first = await insure(visitId);
    await addCharge(deps, visitId, charge('L2', 'laboratory', 10_000, '250101002'));
    const second = await insure(visitId);
    expect(second.preauthId).not.toBe(first.preauthId);
    expect(second).toMatchObject({ tabVersion: 2, insuredFen: 16_000 });
    expect(platformOrder(first.preauthId)).toMatchObject({
      status: 'REFUNDED',
      refunds: [expect.objectContaining({ fundFen: 8_000, personalAccountFen: 2_000, cashFen: 0 })],
    });
    // A void after the second hold: the settlement gives that hold back and waits for the patient.
    await voidCharge(deps, visitId, 'L2');
    const waiting = await settleVisit(deps, visitId, { requestedBy: 'patient:P' });
    expect(waiting).toMatchObject({
      status: 'SETTLING',
      insurance: { preauthId: second.preauthId, status: 'REVERSED' },
      settlement: { step: 'INSURANCE', capturedFen: 0 },
    });
    expect(waiting.settlement?.lastError).toMatch(/authorise medical insurance/);
    expect(platformOrder(second.preauthId)?.status).toBe('REFUNDED');
    // The patient authorises at the desk: the insurance step runs on at once and the visit settles.
    const third = await insure(visitId);
    expect(third).toMatchObject({ tabVersion: 3, insuredFen: 8_000 });
    const settled = (await loadVisit(deps.ledger, visitId)).value;
    expect(settled).toMatchObject({
      status: 'SETTLED',
      insurance: { preauthId: third.preauthId, status: 'SETTLED' },
      settlement: { insuredFen: 8_000, personalAccountFen: third.personalAccountFen },
    });
    // Insurance only for an insured visit with listed charges.
    const uninsured = await authorised('alipay', false);
    await addCharge(deps, uninsured.visitId, charge('L1', 'laboratory', 1_000, '250101001'));
    await expect(insure(uninsured.visitId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const unlisted = await authorised('alipay');
    await addCharge(deps, unlisted.visitId, charge('L1', 'laboratory', 1_000));
    await expect(insure(unlisted.visitId)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await loadVisit(deps.ledger, unlisted.visitId)).value.insurance).toBeUndefined();
  });

  it('a used or unknown authorisation is 422 INSURANCE_AUTH_INVALID; the platform down at 6201 is 503, nothing written', async () => {
    const { visitId } = await authorised('alipay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 10_000, '250101001'));
    await expect(
      preauthoriseInsurance(deps, visitId, { authCode: 'AC-never-issued', location: '113.26,23.12' }),
    ).rejects.toMatchObject({ code: 'INSURANCE_AUTH_INVALID' });
    const authCode = await authCodeFor(visitId);
    t.env.sandbox.platform.settings.available = false;
    try {
      await expect(
        preauthoriseInsurance(deps, visitId, { authCode, location: '113.26,23.12' }),
      ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    } finally {
      t.env.sandbox.platform.settings.available = true;
    }
    expect((await loadVisit(deps.ledger, visitId)).value.insurance).toBeUndefined();
    // The auth code was exchanged before the outage: it is used, and the patient authorises again.
    await expect(
      preauthoriseInsurance(deps, visitId, { authCode, location: '113.26,23.12' }),
    ).rejects.toMatchObject({ code: 'INSURANCE_AUTH_INVALID' });
    expect(await insure(visitId)).toMatchObject({ status: 'HELD', insuredFen: 8_000 });
  });

  it('6202 unanswered: the hold stays ORDERING; a minute later 6301 finds it never settled and the upload is revoked', async () => {
    const { visitId } = await authorised('wechatpay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 10_000, '250101001'));
    t.env.sandbox.platform.settings.failNext['6202'] = 1;
    await expect(insure(visitId)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(t.env.sandbox.platform.settings.failNext['6202']).toBe(0);
    const ordering = (await loadVisit(deps.ledger, visitId)).value.insurance;
    expect(ordering).toMatchObject({ status: 'ORDERING', tabVersion: 1 });
    // Asking again at once: 409, the first 6202 may still be answered.
    await expect(insure(visitId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const report = await runVisitJobs({ ...deps, clock: { now: () => new Date(Date.now() + 2 * 60_000) } });
    expect(report.expiredPreauths).toBeGreaterThanOrEqual(1);
    expect((await loadVisit(deps.ledger, visitId)).value.insurance).toMatchObject({
      preauthId: ordering?.preauthId,
      status: 'REVERSED',
    });
    expect(platformOrder(ordering?.preauthId ?? '')?.status).toBe('REVOKED');
    expect(await insure(visitId)).toMatchObject({ status: 'HELD', insuredFen: 8_000 });
  });

  it('a hold the visit has not booked by the end of its business day is refunded (6203)', async () => {
    const { visitId } = await authorised('alipay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 10_000, '250101001'));
    const hold = await insure(visitId);
    const createdAt = new Date((await loadVisit(deps.ledger, visitId)).value.createdAt);
    // A cut-off a minute before the visit was opened (Asia/Shanghai), so the job does not settle it.
    const minute = ((createdAt.getUTCHours() + 8) % 24) * 60 + createdAt.getUTCMinutes();
    const afterExpiry = {
      ...deps,
      clock: { now: () => new Date(new Date(hold.expiresAt).getTime() + 1_000) },
      visits: { ...deps.visits, autoSettleAtMinute: (minute + 1439) % 1440 },
    };
    await runVisitJobs(afterExpiry);
    expect((await loadVisit(deps.ledger, visitId)).value).toMatchObject({
      status: 'OPEN',
      insurance: { preauthId: hold.preauthId, status: 'REVERSED' },
    });
    expect(platformOrder(hold.preauthId)?.status).toBe('REFUNDED');
  });

  it('a platform order whose parts contradict the hold is an integrity alert: nothing booked, nothing captured', async () => {
    const { visitId, outOrderNo } = await authorised('wechatpay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 10_000, '250101001'));
    const hold = await insure(visitId);
    const order = platformOrder(hold.preauthId);
    if (!order) throw new Error('no platform order');
    order.fundFen -= 1_000; // what 6301 answers now disagrees with what 6201/6202 said
    order.selfPayFen += 1_000;
    await expect(settleVisit(deps, visitId, { requestedBy: 'staff:S1' })).rejects.toMatchObject({
      code: 'INTEGRITY_ALERT',
    });
    const visit = (await loadVisit(deps.ledger, visitId)).value;
    expect(visit).toMatchObject({
      status: 'SETTLING',
      insurance: { status: 'HELD' },
      settlement: { step: 'INSURANCE' },
    });
    expect(t.env.sandbox.credit.captures.filter((c) => c.outOrderNo === outOrderNo)).toHaveLength(0);
    expect((await t.journalOf(visitId)).filter((x) => x.txnId.endsWith(':insurance-settled'))).toHaveLength(
      0,
    );
  });

  it('waits while the platform is down, never charging the insured part; staff may settle as self-pay', async () => {
    const { visitId, outOrderNo } = await authorised('alipay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 20_000, '250101001'));
    const hold = await insure(visitId);
    t.env.sandbox.platform.settings.available = false;
    const waiting = await settleVisit(deps, visitId, { requestedBy: 'patient:P' });
    expect(waiting.status).toBe('SETTLING');
    expect(waiting.settlement).toMatchObject({ step: 'INSURANCE', capturedFen: 0 });
    expect(waiting.settlement?.nextAttemptAt).toBeDefined();
    expect(t.env.sandbox.credit.captures.filter((c) => c.outOrderNo === outOrderNo)).toHaveLength(0);
    t.env.sandbox.platform.settings.available = true;
    // The job resumes it once due (here: a clock an hour ahead).
    const later = { ...deps, clock: { now: () => new Date(Date.now() + 3_600_000) } };
    await runVisitJobs(later);
    const done = (await loadVisit(deps.ledger, visitId)).value;
    expect(done.status).toBe('SETTLED');
    // Lab 80 % → ¥160 insured; the fresh patient's ¥100 personal account covers the ¥40 left.
    expect(done.settlement).toMatchObject({ insuredFen: 16_000, personalAccountFen: 4_000, capturedFen: 0 });
    expect(done.insurance).toMatchObject({ preauthId: hold.preauthId, status: 'SETTLED' });

    const other = await authorised('alipay');
    await addCharge(deps, other.visitId, charge('L1', 'laboratory', 20_000, '250101001'));
    const held = await insure(other.visitId);
    const selfPay = await settleVisit(deps, other.visitId, { requestedBy: 'staff:S9', asSelfPay: true });
    expect(selfPay).toMatchObject({
      status: 'SETTLED',
      insurance: { status: 'REVERSED' },
      settlement: {
        asSelfPay: true,
        requestedBy: 'staff:S9',
        insuredFen: 0,
        selfPayFen: 20_000,
        capturedFen: 20_000,
      },
    });
    // Settled as self-pay, the insured settlement went back to the platform (6203).
    expect(platformOrder(held.preauthId)?.status).toBe('REFUNDED');
  });

  it('staff may switch a settlement waiting on insurance to self-pay, once; past that step it is a 409', async () => {
    const { visitId } = await authorised('alipay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 20_000, '250101001'));
    const waiting = await settleVisit(deps, visitId, { requestedBy: 'patient:P' });
    expect(waiting.settlement).toMatchObject({ step: 'INSURANCE', asSelfPay: false });
    const switched = await settleVisit(deps, visitId, { requestedBy: 'staff:S7', asSelfPay: true });
    expect(switched).toMatchObject({
      status: 'SETTLED',
      settlement: { asSelfPay: true, requestedBy: 'staff:S7', insuredFen: 0, capturedFen: 20_000 },
    });
    // Repeating it is the same outcome; a settled visit cannot switch any more.
    expect((await settleVisit(deps, visitId, { requestedBy: 'staff:S7', asSelfPay: true })).status).toBe(
      'SETTLED',
    );

    const insured = await authorised('alipay');
    await addCharge(deps, insured.visitId, charge('L1', 'laboratory', 20_000, '250101001'));
    await insure(insured.visitId);
    expect((await settleVisit(deps, insured.visitId, { requestedBy: 'patient:P' })).status).toBe('SETTLED');
    await expect(
      settleVisit(deps, insured.visitId, { requestedBy: 'staff:S7', asSelfPay: true }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('a failed capture is retried on schedule, then OVERDUE blocks new credit until paid', async () => {
    const { visitId, patientId } = await authorised('alipay', false);
    await addCharge(deps, visitId, charge('L1', 'laboratory', 5_000));
    // Every capture fails meanwhile (other visits auto-settled by the job fail too, which is fine here).
    t.env.sandbox.settings.captureFailures.alipay = 1_000;
    const failedBefore = recorded(deps).total('SettlementsFailed');
    const failed = await settleVisit(deps, visitId, { requestedBy: 'staff:S1' });
    expect(recorded(deps).total('SettlementsFailed')).toBe(failedBefore + 1);
    expect(failed).toMatchObject({
      status: 'PAYMENT_FAILED',
      settlement: { failedAttempts: 1, captureStatus: 'FAILED' },
    });
    const hours = [1, 7, 31, 103];
    for (const h of hours)
      await runVisitJobs({ ...deps, clock: { now: () => new Date(Date.now() + h * 3_600_000 + 60_000) } });
    const overdue = (await loadVisit(deps.ledger, visitId)).value;
    expect(overdue).toMatchObject({ status: 'OVERDUE', settlement: { failedAttempts: 5 } });
    // Each scheduled retry is counted, and each failed attempt (the last one OVERDUE).
    const ours = (name: string) =>
      recorded(deps).recorded.filter((r) => r.name === name && r.dimensions.channel === 'alipay').length;
    expect(ours('SettlementRetries')).toBeGreaterThanOrEqual(hours.length);
    expect(
      recorded(deps).recorded.filter(
        (r) => r.name === 'SettlementsFailed' && r.dimensions.status === 'OVERDUE',
      ).length,
    ).toBeGreaterThanOrEqual(1);
    t.env.sandbox.settings.captureFailures.alipay = 0;
    await expect(
      openVisit(deps, {
        patientId,
        channel: 'alipay',
        payer: payerOf('alipay', patientId),
        insured: false,
      }),
    ).rejects.toMatchObject({ code: 'PATIENT_OVERDUE' });
    expect((await deps.ledger.balanceOf(`patient:${patientId}:receivable` as never)).netFen).toBe(5_000);

    // Paying the outstanding amount through POST /payments (purpose other, referenceId = visitId) clears it.
    await expect(
      createPayment(deps, { ...payOff(patientId, visitId), amountFen: fen(4_999) }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const { payment } = await createPayment(deps, payOff(patientId, visitId));
    await fetch(`${t.env.sandbox.url}/sandbox/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'wechatpay', outTradeNo: payment.outTradeNo }),
    });
    const cleared = await waitFor(
      () => loadVisit(deps.ledger, visitId),
      (v) => v.value.status === 'SETTLED',
    );
    expect(cleared.value.settlement?.paidByPaymentId).toBe(payment.paymentId);
    expect((await deps.ledger.balanceOf(`patient:${patientId}:receivable` as never)).netFen).toBe(0);
    expect(netOf(await t.journalOf(visitId), 'revenue:other')).toBe(0); // the charges were the revenue
    // The job releases the authorisation that is still frozen at Alipay; then new credit is allowed.
    expect((await runVisitJobs(deps)).released).toBeGreaterThanOrEqual(1);
    expect((await loadVisit(deps.ledger, visitId)).value.authorisationReleased).toBe(true);
    const next = await openVisit(deps, {
      patientId,
      channel: 'alipay',
      payer: payerOf('alipay', patientId),
      insured: false,
    });
    expect(next.visit.status).toBe('AWAITING_AUTHORISATION');
  });

  it('Pay Score: a capture still collecting is re-checked; PAYSCORE.USER_PAID settles it', async () => {
    const { visitId, outOrderNo } = await authorised('wechatpay', false);
    await addCharge(deps, visitId, charge('L1', 'laboratory', 7_000));
    t.env.sandbox.settings.captureFailures.wechatpay = 1; // the first collection attempt fails
    const pending = await settleVisit(deps, visitId, { requestedBy: 'patient:P' });
    expect(pending).toMatchObject({
      status: 'SETTLING',
      settlement: { step: 'CAPTURE', captureStatus: 'PENDING' },
    });
    await runVisitJobs({ ...deps, clock: { now: () => new Date(Date.now() + 6 * 60_000) } });
    const settled = await waitFor(
      () => loadVisit(deps.ledger, visitId),
      (v) => v.value.status === 'SETTLED',
    );
    expect(settled.value.settlement).toMatchObject({ capturedFen: 7_000, releasedFen: 93_000 });
    expect(t.env.sandbox.credit.captures.filter((c) => c.outOrderNo === outOrderNo)).toHaveLength(1);
  });

  it('one open credit visit per patient; cancelling a visit with charges is refused (409), without charges it releases', async () => {
    const { visitId, patientId, outOrderNo } = await authorised('alipay');
    await expect(
      openVisit(deps, {
        patientId,
        channel: 'alipay',
        payer: payerOf('alipay', patientId),
        insured: true,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await addCharge(deps, visitId, charge('L1', 'laboratory', 1_000));
    await expect(cancelVisit(deps, visitId, patientId, 'x')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await voidCharge(deps, visitId, 'L1');
    const cancelled = await cancelVisit(deps, visitId, patientId, 'changed my mind');
    expect(cancelled).toMatchObject({ status: 'CANCELLED', authorisationReleased: true });
    expect(t.env.sandbox.credit.freezes.get(outOrderNo)?.status).toBe('CLOSED');
    await expect(addCharge(deps, visitId, charge('L2', 'laboratory', 1))).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    // The patient may open a new visit now.
    const again = await openVisit(deps, {
      patientId,
      channel: 'alipay',
      payer: payerOf('alipay', patientId),
      insured: true,
    });
    expect(again.visit.status).toBe('AWAITING_AUTHORISATION');
  });

  it('a verified notification for an authorisation we never created is an orphan, never applied', async () => {
    const outcome = await applyProviderEvent(deps, {
      kind: 'authorisation.confirmed',
      channel: 'alipay',
      notificationId: `N${Date.now()}`,
      outOrderNo: 'VAnever',
      authNo: 'A1',
      at: new Date(),
    });
    expect(outcome).toBe('orphan');
  });

  it('jobs: unconfirmed authorisations expire (a lost notification is found by query), the cut-off settles with the insurance hold', async () => {
    const patientA = `PJ${Date.now()}a`;
    const patientB = `PJ${Date.now()}b`;
    const never = await openVisit(deps, {
      patientId: patientA,
      channel: 'wechatpay',
      payer: { wechatOpenId: 'o-a' },
      insured: true,
    });
    const lost = await openVisit(deps, {
      patientId: patientB,
      channel: 'alipay',
      payer: { alipayUserId: '2088000000000002' },
      insured: true,
    });
    // The patient confirmed, but the notification never reached medpay.
    t.env.sandbox.settings.notifications = false;
    await fetch(`${t.env.sandbox.url}/sandbox/authorise`, {
      method: 'POST',
      body: JSON.stringify({
        channel: 'alipay',
        outOrderNo: lost.visit.outOrderNo,
        orderStr: lost.clientParams.orderStr,
      }),
    });
    t.env.sandbox.settings.notifications = true;
    const open = await authorised('alipay');
    await addCharge(deps, open.visitId, charge('L1', 'laboratory', 10_000, '250101001'));
    const hold = await insure(open.visitId);

    // 31 minutes later: past authoriseBy (30 min); the insurance hold stands until the day ends. The day's
    // cut-off is put an hour back, so that no cut-off falls within those 31 minutes whatever the time of day
    // the test runs (run within 31 minutes before 20:00 Shanghai, the default cut-off would settle them).
    const hourAgo = new Date(Date.now() - 3_600_000 + 8 * 3_600_000); // Shanghai wall time, an hour ago
    const later = {
      ...deps,
      clock: { now: () => new Date(Date.now() + 31 * 60_000) },
      visits: { ...deps.visits, autoSettleAtMinute: hourAgo.getUTCHours() * 60 + hourAgo.getUTCMinutes() },
    };
    const report = await runVisitJobs(later);
    expect(report.expiredAuthorisations).toBeGreaterThanOrEqual(1);
    expect((await loadVisit(deps.ledger, never.visit.visitId)).value).toMatchObject({
      status: 'CANCELLED',
      authorisationReleased: true,
    });
    expect(t.env.sandbox.credit.serviceOrders.get(never.visit.outOrderNo)?.state).toBe('REVOKED');
    expect((await loadVisit(deps.ledger, lost.visit.visitId)).value.status).toBe('OPEN');
    expect((await loadVisit(deps.ledger, open.visitId)).value.insurance).toMatchObject({
      preauthId: hold.preauthId,
      status: 'HELD',
    });

    // A day later the cut-off has passed: OPEN visits with charges are settled, empty ones cancelled.
    const nextDay = { ...deps, clock: { now: () => new Date(Date.now() + 25 * 3_600_000) } };
    await runVisitJobs(nextDay);
    // The cut-off settles the visit before its hold lapses at midnight: the insured part is booked.
    expect((await loadVisit(deps.ledger, open.visitId)).value).toMatchObject({
      status: 'SETTLED',
      insurance: { status: 'SETTLED' },
      settlement: { insuredFen: 8_000 },
    });
    expect((await loadVisit(deps.ledger, lost.visit.visitId)).value.status).toBe('CANCELLED');
  });
});
