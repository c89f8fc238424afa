import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import { businessDayOf } from '../../../../lib/domain/business-day';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import { fen } from '../../../../lib/domain/money';
import { feeOf } from '../../../../sandbox/bills';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { refundPayment } from '../../../../lib/usecases/payments/refund';
import { loadReconciliation, reconcile } from '../../../../lib/usecases/finance/reconcile';
import { addCharge } from '../../../../lib/usecases/visits/add-charge';
import { settleVisit } from '../../../../lib/usecases/visits/settle';
import { loadVisit } from '../../../../lib/usecases/visits/records';
import { netOf, visitEnv } from '../../../support/visit-env';
import { recorded } from '../../../support/metrics';

const payerOf = (channel: Channel) =>
  channel === 'alipay' ? { alipayUserId: '2088102122524333' } : { wechatOpenId: 'o-fin' };

describe('reconciliation against the sandbox providers’ own bill files', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  let deps: AppDeps;
  const today = businessDayOf(new Date());
  const refs: Record<Channel, { paid: string[]; refunds: string[] }> = {
    alipay: { paid: [], refunds: [] },
    wechatpay: { paid: [], refunds: [] },
  };
  let feesOf: Record<Channel, number> = { alipay: 0, wechatpay: 0 };

  beforeAll(async () => {
    t = await visitEnv();
    deps = t.deps;
    // A day: payments, partial refunds, and a pay-later settlement per channel.
    for (const channel of ['alipay', 'wechatpay'] as const) {
      for (const amount of [2_500, 10_000, 399]) {
        const { payment } = await createPayment(deps, {
          patientId: 'PFIN',
          channel,
          purpose: 'examination',
          referenceId: `HIS-${amount}`,
          amountFen: fen(amount),
          description: 'fin',
          payer: payerOf(channel),
          mode: 'mini-program',
        });
        await fetch(`${t.env.sandbox.url}/sandbox/pay`, {
          method: 'POST',
          body: JSON.stringify({ channel, outTradeNo: payment.outTradeNo }),
        });
        refs[channel].paid.push(payment.outTradeNo);
        if (amount === 10_000) {
          const refund = await refundPayment(deps, {
            paymentId: payment.paymentId,
            amountFen: fen(3_000),
            reason: 'partial',
          });
          refs[channel].refunds.push(refund.outRefundNo);
        }
      }
      const v = await t.authorisedVisit(channel, false);
      await addCharge(deps, v.visitId, {
        chargeId: 'L',
        category: 'laboratory',
        description: 'l',
        amountFen: fen(8_800),
      });
      await settleVisit(deps, v.visitId, { requestedBy: 'staff:S' });
      for (let i = 0; i < 50 && (await loadVisit(deps.ledger, v.visitId)).value.status !== 'SETTLED'; i++)
        await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 400)); // WeChat refunds succeed shortly after
    feesOf = {
      alipay:
        feeOf(2_500) +
        feeOf(10_000) +
        feeOf(399) +
        feeOf(8_800) -
        Math.floor((feeOf(10_000) * 3_000) / 10_000),
      wechatpay:
        feeOf(2_500) +
        feeOf(10_000) +
        feeOf(399) +
        feeOf(8_800) -
        Math.floor((feeOf(10_000) * 3_000) / 10_000),
    };
  });
  afterAll(() => t.close());
  beforeEach(() => {
    for (const channel of ['alipay', 'wechatpay'] as const)
      t.env.sandbox.settings.billFaults[channel] = { drop: [], amountDelta: {}, nextDay: [], extra: 0 };
    t.env.sandbox.settings.billCorruption = { alipay: 'none', wechatpay: 'none' };
    t.env.sandbox.settings.billsAvailable = true;
  });

  for (const channel of ['alipay', 'wechatpay'] as const) {
    it(`${channel}: a clean day matches every line and posts the provider's fees once`, async () => {
      const first = await reconcile(deps, { date: today, channel, requestedBy: 'finance:F' });
      expect(first.status).toBe('COMPLETED');
      expect(first.summary).toMatchObject({
        matched: 5,
        missingInLedger: 0,
        missingAtProvider: 0,
        amountMismatch: 0,
        timing: 0,
        feesFen: feesOf[channel],
      });
      // A re-run references the previous one and posts no second fee.
      const again = await reconcile(deps, { date: today, channel, requestedBy: 'finance:F' });
      expect(again.previousReconciliationId).toBe(first.reconciliationId);
      const journal = [];
      for await (const txn of deps.ledger.journalForDay(today))
        if (txn.refs.kind === 'provider-fees' && txn.refs.channel === channel) journal.push(txn);
      expect(netOf(journal, `fees:${channel}`)).toBe(feesOf[channel]);
      expect(journal).toHaveLength(1);
    });

    it(`${channel}: every injected discrepancy is found, and nothing else`, async () => {
      const [dropped, mismatched] = refs[channel].paid;
      const [late] = refs[channel].refunds;
      t.env.sandbox.settings.billFaults[channel] = {
        drop: [dropped as string],
        amountDelta: { [mismatched as string]: 1 },
        nextDay: [late as string],
        extra: 2,
      };
      const before = recorded(deps).total('ReconciliationDiscrepancies');
      const run = await reconcile(deps, { date: today, channel, requestedBy: 'finance:F' });
      // 2 + 1 + 1 need a person; the timing difference does not.
      expect(recorded(deps).total('ReconciliationDiscrepancies')).toBe(before + 4);
      expect(run.status).toBe('COMPLETED_WITH_DISCREPANCIES');
      expect(run.summary).toMatchObject({
        matched: 2,
        missingInLedger: 2,
        missingAtProvider: 1,
        amountMismatch: 1,
        timing: 1,
      });
      const stored = await loadReconciliation(deps, run.reconciliationId);
      const byClass = (c: string) => stored?.lines.filter((l) => l.class === c).map((l) => l.reference);
      expect(byClass('amountMismatch')).toEqual([mismatched]);
      expect(byClass('timing')).toEqual([late]);
      expect(byClass('missingInLedger')).toHaveLength(2);
      expect(byClass('missingAtProvider')).toEqual([dropped]);
      // Lines about our own postings name the journal transaction (looked up after matching).
      for (const c of ['amountMismatch', 'missingAtProvider', 'timing'])
        for (const l of stored?.lines.filter((x) => x.class === c) ?? [])
          expect(l.txnId).toMatch(/^(payment|refund):[^:]+:(captured|succeeded)$/);
    });
  }

  it('a row the provider never billed is missing at the provider', async () => {
    const [dropped] = refs.alipay.paid;
    t.env.sandbox.settings.billFaults.alipay = {
      drop: [dropped as string],
      amountDelta: {},
      nextDay: [],
      extra: 0,
    };
    // Dropped from today's bill and from the adjacent days' (the sandbox drops it everywhere).
    const run = await reconcile(deps, { date: today, channel: 'alipay', requestedBy: 'finance:F' });
    expect(run.summary).toMatchObject({ matched: 4, missingAtProvider: 1, missingInLedger: 0 });
  });

  it('a bill that is not published yet is 409; a corrupt, truncated or checksum-failing one is stored FAILED and posts nothing', async () => {
    t.env.sandbox.settings.billsAvailable = false;
    await expect(reconcile(deps, { date: today, channel: 'alipay', requestedBy: 'f' })).rejects.toMatchObject(
      { code: 'BILL_NOT_AVAILABLE' },
    );
    t.env.sandbox.settings.billsAvailable = true;
    const failedBefore = recorded(deps).total('ReconciliationsFailed');
    for (const [channel, damage] of [
      ['alipay', 'truncate'],
      ['wechatpay', 'truncate'],
      ['wechatpay', 'sha1'],
    ] as const) {
      t.env.sandbox.settings.billCorruption[channel] = damage;
      const error = (await reconcile(deps, { date: today, channel, requestedBy: 'f' }).catch(
        (e: unknown) => e,
      )) as { code: string; context: { reconciliationId: string } };
      expect(error.code).toBe('BILL_REJECTED');
      const stored = await loadReconciliation(deps, error.context.reconciliationId);
      expect(stored?.report).toMatchObject({ status: 'FAILED', summary: { matched: 0 } });
      t.env.sandbox.settings.billCorruption[channel] = 'none';
    }
    expect(recorded(deps).total('ReconciliationsFailed')).toBe(failedBefore + 3);
    await expect(
      reconcile(deps, { date: '2026-13-01', channel: 'alipay', requestedBy: 'f' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      reconcile(deps, { date: '2999-01-01', channel: 'alipay', requestedBy: 'f' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
