/** POST /reconciliations: reconcile a channel's day against the provider's bill. */
import { createReconciliation } from '../../../lib/http/contract/finance';
import { httpHandler } from '../../../lib/http/handler';
import { reconcile } from '../../../lib/usecases/finance/reconcile';

export const handler = httpHandler(createReconciliation, async ({ body, caller, deps }) => {
  const run = await reconcile(deps, { ...body, requestedBy: `${caller.role}:${caller.sub}` });
  const { matched, missingInLedger, missingAtProvider, amountMismatch, timing, feesFen } = run.summary;
  return {
    status: 201,
    body: {
      reconciliationId: run.reconciliationId,
      status: run.status,
      summary: { matched, missingInLedger, missingAtProvider, amountMismatch, timing, feesFen },
      ...(run.previousReconciliationId ? { previousReconciliationId: run.previousReconciliationId } : {}),
    },
  };
});
