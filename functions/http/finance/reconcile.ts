/** POST /reconciliations: reconcile a channel's day against the provider's bill. */
import { billDeps } from '../../../lib/config/bills';
import { createReconciliation } from '../../../lib/http/contract/finance/create-reconciliation';
import { httpHandler } from '../../../lib/http/handler';
import { reconciliationSummary } from '../../../lib/usecases/views';
import { reconcile } from '../../../lib/usecases/finance/reconcile';

export const handler = httpHandler(
  createReconciliation,
  async ({ body, caller, deps, requestKey }) => {
    const run = await reconcile(deps, { ...body, requestedBy: `${caller.role}:${caller.sub}`, requestKey });
    return {
      status: 201,
      body: {
        reconciliationId: run.reconciliationId,
        status: run.status,
        summary: reconciliationSummary(run.summary),
        ...(run.previousReconciliationId ? { previousReconciliationId: run.previousReconciliationId } : {}),
      },
    };
  },
  billDeps,
);
