/** GET /refunds/bulk/{batchId}: the batch's progress and per-payment outcomes. */
import { appDeps } from '../../../lib/config/container';
import { getBulkRefund } from '../../../lib/http/contract/payments/get-bulk-refund';
import { httpHandler } from '../../../lib/http/handler';
import { getBulkRefund as getBulkRefundUseCase } from '../../../lib/usecases/payments/get-bulk-refund';

export const handler = httpHandler(
  getBulkRefund,
  async ({ params, deps }) => ({
    status: 200,
    body: await getBulkRefundUseCase(deps, params.batchId),
  }),
  appDeps,
);
