/** GET /refunds/bulk/{batchId}: the batch's progress and per-payment outcomes. */
import { NotFoundError } from '../../../lib/domain/errors';
import { getBulkRefund } from '../../../lib/http/contract/payments';
import { httpHandler } from '../../../lib/http/handler';

export const handler = httpHandler(getBulkRefund, async ({ params, deps }) => {
  const stored = await deps.ledger.getEntity('batch', params.batchId);
  if (!stored) throw new NotFoundError('Bulk refund', params.batchId);
  return { status: 200, body: stored.state };
});
