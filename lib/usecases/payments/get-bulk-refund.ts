/**
 * Show a bulk refund batch with each payment's current outcome.
 *
 * Primary course:
 *   1. Load the batch (404 if unknown).
 *   2. For every item whose refund was still in flight when the batch was recorded, read the refund now:
 *      SUCCEEDED → REFUNDED, FAILED → FAILED, still PROCESSING → REFUND_PROCESSING.
 *   3. Recompute the refunded total from those outcomes, so the view never lags the refunds it names.
 */
import type { BulkRefundBatch, BulkRefundItem, Refund } from '../../domain/payment';
import { loadOrNotFound } from '../shared/records';
import type { PaymentDeps } from './deps';

const ITEM_STATUS: Readonly<Record<Refund['status'], BulkRefundItem['status']>> = {
  SUCCEEDED: 'REFUNDED',
  FAILED: 'FAILED',
  PROCESSING: 'REFUND_PROCESSING',
};

/** The batch as the API shows it, its items following their refunds. */
export async function getBulkRefund(
  deps: Pick<PaymentDeps, 'ledger'>,
  batchId: string,
): Promise<BulkRefundBatch> {
  const { value: batch } = await loadOrNotFound(deps.ledger.bulkRefunds, 'Bulk refund', batchId);
  const items = await Promise.all(
    batch.items.map(async (item) => {
      if (item.status !== 'REFUND_PROCESSING' || !item.refundId) return item;
      const refund = (await deps.ledger.refunds.get(item.refundId))?.value;
      return refund ? { ...item, status: ITEM_STATUS[refund.status] } : item;
    }),
  );
  const refundedFen = items
    .filter((i) => i.status === 'REFUNDED' || i.status === 'REFUND_PROCESSING')
    .reduce((n, i) => n + i.amountFen, 0);
  return { ...batch, items, totals: { ...batch.totals, refundedFen } };
}
