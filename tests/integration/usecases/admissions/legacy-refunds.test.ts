/**
 * Legacy outpatient deposit balances (#23): 1,000 balances imported at once and refunded to the payments
 * they came from through the sandbox (real HTTP, real signatures; the payments are written as they stand
 * once paid), with the ones that cannot be refunded
 * online reported with why (a payment paid over a year ago, one refunded already, one unknown), and nothing
 * refunded twice: not when a run stops half-way and goes on, not when the same list is sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../../lib/domain/money';
import { captureTransaction, outTradeNoFor, type Payment } from '../../../../lib/domain/payment';
import {
  startLegacyRefunds,
  type LegacyBalanceInput,
} from '../../../../lib/usecases/admissions/legacy-refunds';
import { runLegacyRefunds } from '../../../../lib/usecases/admissions/run-legacy-refunds';
import { refundPayment } from '../../../../lib/usecases/payments/refund';
import { admissionWorld, type Env } from '../../../support/admissions';
import { visitEnv } from '../../../support/visit-env';

describe('legacy deposit balances', () => {
  let t: Env;
  let w: Awaited<ReturnType<typeof admissionWorld>>;
  beforeAll(async () => {
    t = await visitEnv();
    w = await admissionWorld(t);
  });
  afterAll(() => t.close());

  /**
   * A legacy outpatient deposit as it stands once paid: the payment and its capture in the ledger, the paid
   * order at the sandbox wallet. Paying is tested elsewhere; written directly, a thousand of them take a
   * second instead of a minute of signatures. The refunds then go to the wallet over HTTP as always.
   */
  async function paidDeposit(
    patientId: string,
    amountFen: number,
    i: number,
    paidAt = new Date(),
  ): Promise<Payment> {
    const channel = i % 2 === 0 ? 'wechatpay' : 'alipay';
    const paymentId = w.deps.ids.next('payment');
    const payment: Payment = {
      paymentId,
      patientId,
      channel,
      purpose: 'other',
      referenceId: `MZYJ-${patientId}`,
      description: '门诊预交金',
      amountFen: fen(amountFen),
      currency: 'CNY',
      outTradeNo: outTradeNoFor(paymentId),
      mode: 'mini-program',
      status: 'PAID',
      createdAt: paidAt.toISOString(),
      expiresAt: paidAt.toISOString(),
      paidAt: paidAt.toISOString(),
      providerTradeNo: `T${paymentId.slice(-20)}`,
      payerId: channel === 'alipay' ? `2088${String(i).padStart(12, '0')}` : `o-legacy-${i}`,
      refundedFen: fen(0),
      refundingFen: fen(0),
      refundCount: 0,
      refundIds: [],
    };
    await w.deps.ledger.commit({
      entities: [
        w.deps.ledger.payments.write(payment, { kind: 'absent' }),
        w.deps.ledger.payments.listing(payment),
      ],
      journal: captureTransaction({ ...payment, paidAt }),
    });
    t.env.sandbox.orders.set(`${channel}:${payment.outTradeNo}`, {
      channel,
      outTradeNo: payment.outTradeNo,
      amountFen: payment.amountFen,
      description: payment.description,
      status: 'PAID',
      providerTradeNo: payment.providerTradeNo ?? '',
      notifyUrl: '',
      payer: payment.payerId,
      paidAt,
      refundedFen: 0,
      createdAt: paidAt,
      tradeType: channel === 'wechatpay' ? 'JSAPI' : 'create',
    });
    return payment;
  }

  /** `n` tasks, `width` at a time. */
  async function inParallel<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
    const out: T[] = new Array<T>(n);
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        for (let i = next++; i < n; i = next++) out[i] = await task(i);
      }),
    );
    return out;
  }

  it('refunds 1,000 balances, reports those it cannot, and never refunds one twice', async () => {
    const run = `${Date.now()}`;
    // 985 balances of one payment, 5 of two payments (the newest refunded first), 5 paid over a year ago,
    // 3 refunded already, 2 naming a payment medpay never took.
    const balances: LegacyBalanceInput[] = await inParallel(990, 8, async (i) => {
      const patientId = `PL-${run}-${i}`;
      if (i < 985) {
        const p = await paidDeposit(patientId, 1_000, i);
        return { balanceId: `YE-${run}-${i}`, patientId, amountFen: fen(600), paymentIds: [p.paymentId] };
      }
      const older = await paidDeposit(patientId, 1_000, i);
      const newer = await paidDeposit(patientId, 500, i);
      return {
        balanceId: `YE-${run}-${i}`,
        patientId,
        amountFen: fen(1_200),
        paymentIds: [older.paymentId, newer.paymentId],
      };
    });
    const yearAgo = new Date(Date.now() - 400 * 24 * 3_600_000);
    for (let i = 990; i < 995; i++) {
      const patientId = `PL-${run}-${i}`;
      const old = await paidDeposit(patientId, 1_000, i, yearAgo);
      balances.push({
        balanceId: `YE-${run}-${i}`,
        patientId,
        amountFen: fen(600),
        paymentIds: [old.paymentId],
      });
    }
    for (let i = 995; i < 998; i++) {
      const patientId = `PL-${run}-${i}`;
      const p = await paidDeposit(patientId, 1_000, i);
      await refundPayment(w.deps, { paymentId: p.paymentId, amountFen: fen(1_000), reason: '已在窗口退还' });
      balances.push({
        balanceId: `YE-${run}-${i}`,
        patientId,
        amountFen: fen(600),
        paymentIds: [p.paymentId],
      });
    }
    for (let i = 998; i < 1_000; i++)
      balances.push({
        balanceId: `YE-${run}-${i}`,
        patientId: `PL-${run}-${i}`,
        amountFen: fen(600),
        paymentIds: [`pay_NEVER${run}${i}`],
      });
    expect(balances).toHaveLength(1_000);

    // WeChat's refund notifications are not needed here (a processing refund counts; the sweep ends it): off,
    // they would add a thousand signed callbacks to the suite's shared DynamoDB Local.
    t.env.sandbox.settings.notifications = false;
    const batch = await startLegacyRefunds(w.deps, {
      reason: '门诊预交金清退',
      balances,
      requestKey: `k-${run}`,
    });
    expect(batch.totals).toMatchObject({ balances: 1_000, skipped: 0 });
    // A run that stops after a moment (its budget spent), then runs on: the second picks up where it stopped.
    const partial = await runLegacyRefunds(w.deps, batch.batchId, { budgetMs: 300, concurrency: 8 });
    expect(partial.status).toBe('PROCESSING');
    let done = partial;
    for (let i = 0; i < 20 && done.status !== 'COMPLETED'; i++)
      done = await runLegacyRefunds(w.deps, batch.batchId, { budgetMs: 60_000, concurrency: 8 });
    expect(done.status).toBe('COMPLETED');
    expect(done.totals).toMatchObject({
      balances: 1_000,
      done: 1_000,
      refunded: 990,
      partial: 0,
      failed: 10,
    });
    expect(done.totals.refundedFen).toBe(985 * 600 + 5 * 1_200);
    expect(done.totals.unrefundableFen).toBe(10 * 600);
    const reasons = Object.fromEntries(done.failures.map((f) => [f.balanceId.split('-').at(-1), f.reasons]));
    expect(reasons).toEqual({
      990: ['REFUND_WINDOW_PASSED'],
      991: ['REFUND_WINDOW_PASSED'],
      992: ['REFUND_WINDOW_PASSED'],
      993: ['REFUND_WINDOW_PASSED'],
      994: ['REFUND_WINDOW_PASSED'],
      995: ['ALREADY_REFUNDED'],
      996: ['ALREADY_REFUNDED'],
      997: ['ALREADY_REFUNDED'],
      998: ['UNKNOWN_PAYMENT'],
      999: ['UNKNOWN_PAYMENT'],
    });

    // At the wallets: one refund per payment, for what the plan gave it (two-payment balances: newest whole).
    const orders = (await w.sandbox('/sandbox/orders')).body as Array<{
      outTradeNo: string;
      amountFen: number;
      refunds: Array<{ amountFen: number }>;
    }>;
    // One payment: 600 of 1,000 back; two: the newer 500 whole, then 700 of the older.
    const expected = new Map<string, number>();
    for (const b of balances.slice(0, 990)) {
      const [older, newer] = b.paymentIds.map(outTradeNoFor);
      if (newer === undefined) expected.set(older ?? '', 600);
      else expected.set(newer, 500).set(older ?? '', 700);
    }
    const refunded = orders.filter((o) => expected.has(o.outTradeNo));
    expect(refunded).toHaveLength(995);
    for (const o of refunded) expect(o.refunds.map((r) => r.amountFen)).toEqual([expected.get(o.outTradeNo)]);
    expect(refunded.reduce((n, o) => n + o.refunds.reduce((m, r) => m + r.amountFen, 0), 0)).toBe(
      done.totals.refundedFen,
    );

    // The same request again answers the same batch; the same list in a new batch is skipped whole.
    expect(
      (await startLegacyRefunds(w.deps, { reason: 'x', balances, requestKey: `k-${run}` })).batchId,
    ).toBe(batch.batchId);
    const again = await startLegacyRefunds(w.deps, { reason: '重复导入', balances, requestKey: `k2-${run}` });
    expect(again.totals).toMatchObject({ balances: 0, skipped: 1_000 });
    expect(again.skipped[0]).toEqual({ balanceId: balances[0]?.balanceId, batchId: batch.batchId });
    expect((await runLegacyRefunds(w.deps, again.batchId)).status).toBe('COMPLETED');
    const after = (await w.sandbox('/sandbox/orders')).body as typeof orders;
    expect(after.filter((o) => expected.has(o.outTradeNo)).flatMap((o) => o.refunds)).toHaveLength(995);
  }, 300_000);
});
