/**
 * Show a bulk refund batch with each payment's current outcome.
 *
 * Primary course:
 *   1. Load the batch (404 if unknown).
 *   2. For every item whose refund was still in flight when the batch was recorded, read the refund now:
 *      SUCCEEDED → REFUNDED, FAILED → FAILED, still PROCESSING → REFUND_PROCESSING.
 *   3. Recompute the refunded total from those outcomes, so the view never lags the refunds it names.
 */
import { NotFoundError } from '../../domain/errors';
import type { Refund } from '../../domain/payment';
import type { BulkRefundBatch, BulkRefundItem } from './bulk-refund';
import type { PaymentDeps } from './deps';

const ITEM_STATUS: Readonly<Record<Refund['status'], BulkRefundItem['status']>> = {
  SUCCEEDED: 'REFUNDED',
  FAILED: 'FAILED',
  PROCESSING: 'REFUND_PROCESSING',
};

/** The batch as the API shows it, its items following their refunds. */
export async function getBulkRefund(deps: PaymentDeps, batchId: string): Promise<BulkRefundBatch> {
  const stored = await deps.ledger.getEntity('batch', batchId);
  if (!stored) throw new NotFoundError('Bulk refund', batchId);
  const batch = stored.state as unknown as BulkRefundBatch;
  const items = await Promise.all(
    batch.items.map(async (item) => {
      if (item.status !== 'REFUND_PROCESSING' || !item.refundId) return item;
      const refund = (await deps.ledger.getEntity('refund', item.refundId))?.state as Refund | undefined;
      return refund ? { ...item, status: ITEM_STATUS[refund.status] } : item;
    }),
  );
  const refundedFen = items
    .filter((i) => i.status === 'REFUNDED' || i.status === 'REFUND_PROCESSING')
    .reduce((n, i) => n + i.amountFen, 0);
  return { ...batch, items, totals: { ...batch.totals, refundedFen } };
}
