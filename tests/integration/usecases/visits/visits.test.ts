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
  ) => ({
    chargeId,
    category,
    description: chargeId,
    amountFen: fen(amountFen),
  });
  const waitFor = async <T>(read: () => Promise<T>, done: (v: T) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const v = await read();
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    return read();
  };

  for (const channel of ['alipay', 'wechatpay'] as const) {
    it(`${channel}: authorise → charges → over-limit refused → insurance → one settlement`, async () => {
      const { visitId, patientId, outOrderNo } = await authorised(channel);
      expect((await loadVisit(deps.ledger, visitId)).value.status).toBe('OPEN');
      await addCharge(deps, visitId, charge('REG1', 'registration', 1_500));
      await addCharge(deps, visitId, charge('LAB1', 'laboratory', 12_000));
      await addCharge(deps, visitId, charge('RX1', 'prescription', 30_000));
      await expect(addCharge(deps, visitId, charge('BIG', 'examination', 60_000))).rejects.toMatchObject({
        code: 'CREDIT_LIMIT_EXCEEDED',
        context: { availableCreditFen: 100_000 - 43_500 },
      });
      const hold = await preauthoriseInsurance(deps, visitId);
      // Sandbox rules: lab 70 %, prescription 60 % after ¥50, registration 0 %; ¥100 personal account.
      expect(hold.insuredFen).toBe(8_400 + 15_000);
      expect(hold.personalAccountFen).toBe(10_000);
      expect(hold.selfPayFen).toBe(43_500 - 23_400 - 10_000);
      expect(await preauthoriseInsurance(deps, visitId)).toEqual(hold); // idempotent for the same tab

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
      // The ledger: receivable back to zero, insurance owes the insured part, clearing holds the capture.
      const journal = await t.journalOf(visitId);
      for (const txn of journal) expect(netOfPostings(txn.postings)).toBe(0);
      expect((await deps.ledger.balanceOf(`patient:${patientId}:receivable` as never)).netFen).toBe(0);
      expect(netOf(journal, 'insurance:receivable')).toBe(hold.insuredFen + hold.personalAccountFen);
      expect(netOf(journal, `channel:${channel}:clearing`)).toBe(hold.selfPayFen);
      expect((await deps.ledger.creditLocks.get(patientId))?.value.status).toBe('FREE');
    });
  }

  it('zero self-pay captures nothing and releases the whole authorisation', async () => {
    const { visitId, outOrderNo } = await authorised('alipay');
    t.env.sandbox.bureau.settings.rules.treatment = { ratioBp: 10_000, deductibleFen: 0, capFen: 1_000_000 };
    await addCharge(deps, visitId, charge('T1', 'examination', 0 + 10_000));
    t.env.sandbox.bureau.settings.rules.examination = {
      ratioBp: 10_000,
      deductibleFen: 0,
      capFen: 1_000_000,
    };
    const settled = await settleVisit(deps, visitId, { requestedBy: 'staff:S1' });
    t.env.sandbox.bureau.settings.rules.examination = { ratioBp: 7000, deductibleFen: 0, capFen: 100_000 };
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

  it('a charge invalidates the pre-authorisation; an uninsured visit cannot be pre-authorised (409)', async () => {
    const { visitId } = await authorised('wechatpay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 10_000));
    const first = await preauthoriseInsurance(deps, visitId);
    await addCharge(deps, visitId, charge('L2', 'laboratory', 10_000));
    const second = await preauthoriseInsurance(deps, visitId);
    expect(second.preauthId).not.toBe(first.preauthId);
    expect(second.tabVersion).toBe(2);
    expect(t.env.sandbox.bureau.preauths.get(first.preauthId)?.status).toBe('REVERSED');
    await voidCharge(deps, visitId, 'L2');
    const settled = await settleVisit(deps, visitId, { requestedBy: 'staff:S1' });
    expect(settled.insurance?.preauthId).not.toBe(second.preauthId); // re-pre-settled for the voided tab
    const uninsured = await authorised('alipay', false);
    await addCharge(deps, uninsured.visitId, charge('L1', 'laboratory', 1_000));
    await expect(preauthoriseInsurance(deps, uninsured.visitId)).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('waits while the bureau is down, never charging the insured part; staff may settle as self-pay', async () => {
    const { visitId, outOrderNo } = await authorised('alipay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 20_000));
    t.env.sandbox.bureau.settings.available = false;
    const waiting = await settleVisit(deps, visitId, { requestedBy: 'patient:P' });
    expect(waiting.status).toBe('SETTLING');
    expect(waiting.settlement).toMatchObject({ step: 'INSURANCE', capturedFen: 0 });
    expect(waiting.settlement?.nextAttemptAt).toBeDefined();
    expect(t.env.sandbox.credit.captures.filter((c) => c.outOrderNo === outOrderNo)).toHaveLength(0);
    t.env.sandbox.bureau.settings.available = true;
    // The job resumes it once due (here: a clock an hour ahead).
    const later = { ...deps, clock: { now: () => new Date(Date.now() + 3_600_000) } };
    await runVisitJobs(later);
    const done = (await loadVisit(deps.ledger, visitId)).value;
    expect(done.status).toBe('SETTLED');
    // Lab 70 % → ¥140 insured; the fresh patient's ¥100 personal account covers ¥60; nothing self-pay.
    expect(done.settlement).toMatchObject({ insuredFen: 14_000, personalAccountFen: 6_000, capturedFen: 0 });

    const other = await authorised('alipay');
    await addCharge(deps, other.visitId, charge('L1', 'laboratory', 20_000));
    t.env.sandbox.bureau.settings.available = false;
    const selfPay = await settleVisit(deps, other.visitId, { requestedBy: 'staff:S9', asSelfPay: true });
    t.env.sandbox.bureau.settings.available = true;
    expect(selfPay).toMatchObject({
      status: 'SETTLED',
      settlement: {
        asSelfPay: true,
        requestedBy: 'staff:S9',
        insuredFen: 0,
        selfPayFen: 20_000,
        capturedFen: 20_000,
      },
    });
  });

  it('staff may switch a settlement waiting on the insurer to self-pay, once; past that step it is a 409', async () => {
    const { visitId } = await authorised('alipay');
    await addCharge(deps, visitId, charge('L1', 'laboratory', 20_000));
    t.env.sandbox.bureau.settings.available = false;
    const waiting = await settleVisit(deps, visitId, { requestedBy: 'patient:P' });
    expect(waiting.settlement).toMatchObject({ step: 'INSURANCE', asSelfPay: false });
    const switched = await settleVisit(deps, visitId, { requestedBy: 'staff:S7', asSelfPay: true });
    t.env.sandbox.bureau.settings.available = true;
    expect(switched).toMatchObject({
      status: 'SETTLED',
      settlement: { asSelfPay: true, requestedBy: 'staff:S7', insuredFen: 0, capturedFen: 20_000 },
    });
    // Repeating it is the same outcome; a settled visit cannot switch any more.
    expect((await settleVisit(deps, visitId, { requestedBy: 'staff:S7', asSelfPay: true })).status).toBe(
      'SETTLED',
    );

    const insured = await authorised('alipay');
    await addCharge(deps, insured.visitId, charge('L1', 'laboratory', 20_000));
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

  it('jobs: unconfirmed authorisations expire (a lost notification is found by query), holds lapse, the cut-off settles', async () => {
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
    await addCharge(deps, open.visitId, charge('L1', 'laboratory', 10_000));
    const hold = await preauthoriseInsurance(deps, open.visitId);

    // 31 minutes later: past authoriseBy (30 min) and past the bureau hold (30 min).
    const later = { ...deps, clock: { now: () => new Date(Date.now() + 31 * 60_000) } };
    const report = await runVisitJobs(later);
    expect(report.expiredAuthorisations).toBeGreaterThanOrEqual(1);
    expect(report.expiredPreauths).toBeGreaterThanOrEqual(1);
    expect((await loadVisit(deps.ledger, never.visit.visitId)).value).toMatchObject({
      status: 'CANCELLED',
      authorisationReleased: true,
    });
    expect(t.env.sandbox.credit.serviceOrders.get(never.visit.outOrderNo)?.state).toBe('REVOKED');
    expect((await loadVisit(deps.ledger, lost.visit.visitId)).value.status).toBe('OPEN');
    expect((await loadVisit(deps.ledger, open.visitId)).value.insurance).toMatchObject({
      preauthId: hold.preauthId,
      status: 'REVERSED',
    });

    // A day later the cut-off has passed: OPEN visits with charges are settled, empty ones cancelled.
    const nextDay = { ...deps, clock: { now: () => new Date(Date.now() + 25 * 3_600_000) } };
    await runVisitJobs(nextDay);
    expect((await loadVisit(deps.ledger, open.visitId)).value.status).toBe('SETTLED');
    expect((await loadVisit(deps.ledger, lost.visit.visitId)).value.status).toBe('CANCELLED');
  });
});
