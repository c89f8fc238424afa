/**
 * Bulk refund when a doctor's session is suspended (停诊).
 *
 * Primary course:
 *   1. Record the batch (PROCESSING) with the HIS references and the compensation; its id derives from the
 *      request's key, so a re-execution returns a COMPLETED batch or resumes a PROCESSING one.
 *   2. For every payment of those references that still has something refundable, refund it in full
 *      (each refund is the ordinary refund use case: reserved, deterministic out_refund_no, never twice).
 *   3. Record the compensation once per (reference, patient): Dr compensation:expense / Cr the patient's
 *      receivable, i.e. the hospital owes it to the patient. Its txnId makes a second batch for the same
 *      session unable to compensate twice.
 *   4. Store every payment's outcome and mark the batch COMPLETED.
 */
import { Accounts } from '../../domain/ledger/accounts';
import { journalTransaction } from '../../domain/ledger/journal';
import type { Fen } from '../../domain/money';
import {
  refundableFen,
  REFUNDABLE_STATUSES,
  type BulkRefundBatch,
  type BulkRefundItem,
} from '../../domain/payment';
import type { PaymentDeps } from './deps';
import { refundPayment } from './refund';
import { firstAttempt } from '../shared/records';

/** Runs a bulk refund and returns the completed batch. */
export async function bulkRefund(
  deps: PaymentDeps,
  input: {
    referenceIds: readonly string[];
    reason: string;
    compensationFen: Fen;
    /** The request's key: a re-execution resumes the same batch and the same refunds. */
    requestKey?: string;
  },
): Promise<BulkRefundBatch> {
  const { id: batchId, earlier } = await firstAttempt(
    deps.ids,
    deps.ledger.bulkRefunds,
    'batch',
    input.requestKey,
  );
  if (earlier?.status === 'COMPLETED') return earlier;
  const base = {
    batchId,
    reason: input.reason,
    referenceIds: [...new Set(input.referenceIds)],
    compensationFen: input.compensationFen,
    createdAt: earlier?.createdAt ?? deps.clock.now().toISOString(),
  };
  if (!earlier)
    await deps.ledger.commit({
      entities: [
        deps.ledger.bulkRefunds.write(
          {
            ...base,
            status: 'PROCESSING',
            items: [],
            totals: { refundedFen: 0, compensationFen: 0, payments: 0 },
          },
          { kind: 'absent' },
        ),
      ],
    });

  const items: BulkRefundItem[] = [];
  const compensate = new Map<string, { referenceId: string; patientId: string }>();
  for (const referenceId of base.referenceIds) {
    for (const { value: payment } of await deps.ledger.payments.ofReference(referenceId)) {
      // Each payment's refund in this batch has its own key, so resuming the batch resumes that refund.
      const requestKey = `${batchId}:${payment.paymentId}`;
      const resumed = payment.refundIds.includes(deps.ids.derive('refund', requestKey));
      // A resumed refund keeps the amount it was reserved with (refundPayment returns it as it is); any
      // non-zero amount lets it through here, and the item takes the refund's own amount below.
      const left = resumed
        ? payment.amountFen
        : REFUNDABLE_STATUSES.includes(payment.status)
          ? refundableFen(payment)
          : 0;
      const item = {
        paymentId: payment.paymentId,
        referenceId,
        patientId: payment.patientId,
        amountFen: left,
      };
      if (left === 0) {
        items.push({
          ...item,
          status: 'SKIPPED',
          detail: `payment is ${payment.status} with nothing left to refund`,
        });
        continue;
      }
      try {
        const refund = await refundPayment(deps, {
          paymentId: payment.paymentId,
          amountFen: left,
          reason: input.reason,
          batchId,
          requestKey,
        });
        items.push({
          ...item,
          amountFen: refund.amountFen,
          refundId: refund.refundId,
          status:
            refund.status === 'SUCCEEDED'
              ? 'REFUNDED'
              : refund.status === 'FAILED'
                ? 'FAILED'
                : 'REFUND_PROCESSING',
        });
        if (refund.status !== 'FAILED')
          compensate.set(`${referenceId}.${payment.patientId}`, {
            referenceId,
            patientId: payment.patientId,
          });
      } catch (error) {
        items.push({ ...item, status: 'FAILED', detail: (error as Error).message });
      }
    }
  }

  let compensationFen = 0;
  if (input.compensationFen > 0) {
    for (const [key, { referenceId, patientId }] of compensate) {
      const outcome = await deps.ledger.commit({
        entities: [],
        journal: journalTransaction({
          txnId: `compensation:${key}:recorded`,
          occurredAt: deps.clock.now(),
          refs: { batchId, referenceId, patientId, reason: input.reason },
          postings: [
            { account: Accounts.compensationExpense(), side: 'debit', amountFen: input.compensationFen },
            {
              account: Accounts.patientReceivable(patientId),
              side: 'credit',
              amountFen: input.compensationFen,
            },
          ],
        }),
      });
      if (outcome === 'committed') compensationFen += input.compensationFen;
    }
  }

  const batch: BulkRefundBatch = {
    ...base,
    status: 'COMPLETED',
    completedAt: deps.clock.now().toISOString(),
    items,
    totals: {
      refundedFen: items
        .filter((i) => i.status !== 'SKIPPED' && i.status !== 'FAILED')
        .reduce((n, i) => n + i.amountFen, 0),
      compensationFen,
      payments: items.length,
    },
  };
  await deps.ledger.commit({
    entities: [deps.ledger.bulkRefunds.write(batch, { kind: 'status', status: ['PROCESSING'] })],
  });
  return batch;
}
