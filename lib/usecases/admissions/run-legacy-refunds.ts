/**
 * Carries a legacy-balance batch on (the request's first share, then the sweep): each PENDING balance is
 * planned over its payments (planLegacyRefund) and the plan stored before any refund is asked; each planned
 * refund goes through the usual refund path under a key derived from the balance and the payment, so a
 * re-run asks for the same refund, never a second. When every balance is done the batch is COMPLETED with
 * its totals and the balances that could not be refunded whole, with why.
 */
import type { SurplusRefund } from '../../domain/admission';
import {
  legacyOutcome,
  planLegacyRefund,
  type LegacyBalance,
  type LegacyPayment,
  type LegacyRefundBatch,
} from '../../domain/legacy-balance';
import type { PaymentStatus } from '../../domain/payment';
import type { PaymentDeps } from '../payments/deps';
import { askPlannedRefund, refundableOf } from './plan';
import { loadOrNotFound } from '../shared/records';

/** The request key of a balance's refund from one payment. */
const legacyRefundKey = (balanceId: string, paymentId: string) => `legacy:${balanceId}:${paymentId}`;

/** The statuses of a payment that was paid (whatever was refunded of it since). */
const REFUNDABLE_OR_REFUNDED: readonly PaymentStatus[] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** How long a run may go on, and how many balances it works on at once. */
export interface LegacyRunLimits {
  readonly budgetMs: number;
  readonly concurrency: number;
}

/** Works on the batch's open balances within the budget; returns the batch as it then stands. */
export async function runLegacyRefunds(
  deps: PaymentDeps,
  batchId: string,
  limits: LegacyRunLimits = { budgetMs: 20_000, concurrency: 8 },
): Promise<LegacyRefundBatch> {
  const current = await loadOrNotFound(deps.ledger.legacy.batches, 'Legacy refund batch', batchId);
  if (current.value.status === 'COMPLETED') return current.value;
  const until = Date.now() + limits.budgetMs;
  const queue = [...current.value.balanceIds];
  const done: LegacyBalance[] = [];
  let unfinished = false;
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (Date.now() > until) {
        unfinished = true;
        return;
      }
      const balance = await settleBalance(deps, id);
      if (balance.status === 'PENDING' || balance.status === 'PLANNED') unfinished = true;
      else done.push(balance);
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, worker));
  const batch = withTotals(current.value, done, !unfinished, deps.clock.now());
  await deps.ledger.commit({
    entities: [deps.ledger.legacy.batches.write(batch, { kind: 'version', version: current.version })],
  });
  return batch;
}

/** The batch with the totals of its finished balances (all of them, when it is complete). */
function withTotals(
  batch: LegacyRefundBatch,
  done: readonly LegacyBalance[],
  complete: boolean,
  now: Date,
): LegacyRefundBatch {
  const refundedOf = (b: LegacyBalance) =>
    b.refunds.filter((r) => r.status !== 'FAILED').reduce((n, r) => n + r.amountFen, 0);
  const count = (status: LegacyBalance['status']) => done.filter((b) => b.status === status).length;
  return {
    ...batch,
    status: complete ? 'COMPLETED' : 'PROCESSING',
    ...(complete ? { completedAt: now.toISOString() } : {}),
    totals: {
      ...batch.totals,
      done: done.length,
      refunded: count('REFUNDED'),
      partial: count('PARTIAL'),
      failed: count('FAILED'),
      refundedFen: done.reduce((n, b) => n + refundedOf(b), 0),
      unrefundableFen: done.reduce((n, b) => n + b.amountFen - refundedOf(b), 0),
    },
    failures: done
      .filter(
        (b): b is LegacyBalance & { status: 'PARTIAL' | 'FAILED' } =>
          b.status === 'PARTIAL' || b.status === 'FAILED',
      )
      .map((b) => ({
        balanceId: b.balanceId,
        status: b.status,
        unrefundableFen: b.amountFen - refundedOf(b),
        reasons: [...new Set(b.failures.map((f) => f.code))],
      })),
  };
}

/** Plans a PENDING balance (stored before any refund) and asks for its refunds; returns it as it ends. */
async function settleBalance(deps: PaymentDeps, balanceId: string): Promise<LegacyBalance> {
  let current = await loadOrNotFound(deps.ledger.legacy.balances, 'Legacy balance', balanceId);
  if (current.value.status === 'PENDING') {
    const balance = current.value;
    const payments = await Promise.all(balance.paymentIds.map((id) => namedPayment(deps, id)));
    const plan = planLegacyRefund(balance, payments, deps.clock.now(), (paymentId) =>
      deps.ids.derive('refund', legacyRefundKey(balanceId, paymentId)),
    );
    const planned: LegacyBalance = { ...balance, ...plan, status: 'PLANNED' };
    await deps.ledger.commit({
      entities: [deps.ledger.legacy.balances.write(planned, { kind: 'version', version: current.version })],
    });
    current = { value: planned, version: current.version + 1 };
  }
  const balance = current.value;
  if (balance.status !== 'PLANNED') return balance;
  const failures = [...balance.failures];
  const refunds: SurplusRefund[] = [];
  for (const r of balance.refunds) {
    if (r.status === 'SUCCEEDED' || r.status === 'FAILED') {
      refunds.push(r);
      continue;
    }
    // Refused before anything was asked (the payment changed since the plan), or by the wallet: recorded.
    const { status, refusal } = await askPlannedRefund(deps, r, {
      reason: '门诊预交金余额退还',
      requestKey: legacyRefundKey(balanceId, r.paymentId),
    });
    refunds.push({ ...r, status });
    if (status === 'FAILED')
      failures.push({
        paymentId: r.paymentId,
        code: 'REFUND_FAILED',
        detail: refusal ?? 'the wallet refused the refund',
      });
  }
  const next: LegacyBalance = { ...balance, refunds, failures, status: 'PLANNED' };
  const ended: LegacyBalance = { ...next, status: legacyOutcome(next) };
  await deps.ledger.commit({
    entities: [deps.ledger.legacy.balances.write(ended, { kind: 'version', version: current.version })],
  });
  return ended;
}

/** A named payment as the plan sees it: a paid medpay payment, or not found. */
async function namedPayment(deps: PaymentDeps, paymentId: string): Promise<LegacyPayment> {
  const p = (await deps.ledger.payments.get(paymentId))?.value;
  if (!p?.paidAt || !REFUNDABLE_OR_REFUNDED.includes(p.status)) return { paymentId, found: false };
  return { found: true, patientId: p.patientId, ...refundableOf(p, p.paidAt) };
}

/** Carries on every batch still processing (the sweep); returns how many completed. */
export async function sweepLegacyRefunds(deps: PaymentDeps, limit = 5): Promise<number> {
  let completed = 0;
  for (const batch of await deps.ledger.legacy.processingBatches(limit))
    if ((await runLegacyRefunds(deps, batch.batchId)).status === 'COMPLETED') completed++;
  return completed;
}
