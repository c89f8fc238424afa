/** POST /refunds/bulk: refund every paid payment of the given HIS references and record compensation. */
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import { fen } from '../../../lib/domain/money';
import { bulkRefund } from '../../../lib/http/contract/payments/bulk-refund';
import { httpHandler } from '../../../lib/http/handler';
import { bulkRefund as bulkRefundUseCase } from '../../../lib/usecases/payments/bulk-refund';

export const handler = httpHandler(
  bulkRefund,
  async ({ body, deps, requestKey }) => {
    const batch = await bulkRefundUseCase(deps, {
      referenceIds: body.referenceIds,
      reason: body.reason,
      compensationFen: body.compensation?.amountFen ?? fen(0),
      requestKey,
    });
    return { status: 202, body: { batchId: batch.batchId } };
  },
  insuredProviderDeps,
);
