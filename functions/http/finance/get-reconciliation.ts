/** GET /reconciliations/{id}: the report with its discrepancy lines. */
import { appDeps } from '../../../lib/config/container';
import { getReconciliation } from '../../../lib/http/contract/finance/get-reconciliation';
import { httpHandler } from '../../../lib/http/handler';
import { getReconciliation as getReconciliationUseCase } from '../../../lib/usecases/finance/get-reconciliation';

export const handler = httpHandler(
  getReconciliation,
  async ({ params, deps }) => ({ status: 200, body: await getReconciliationUseCase(deps, params.id) }),
  appDeps,
);
