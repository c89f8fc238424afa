/** Finance's reads: a day's reconciliation runs, the discrepancy to-do list, and one discrepancy. */
import { appDeps } from '../../../lib/config/container';
import * as contract from '../../../lib/http/contract/finance';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import { getDiscrepancy, listDiscrepancies } from '../../../lib/usecases/finance/discrepancies';
import { listReconciliations } from '../../../lib/usecases/finance/get-reconciliation';

export const handler = httpRouter([
  [
    contract.listReconciliations,
    httpHandler(
      contract.listReconciliations,
      async ({ query, deps }) => ({ status: 200, body: await listReconciliations(deps, query) }),
      appDeps,
    ),
  ],
  [
    contract.listDiscrepancies,
    httpHandler(
      contract.listDiscrepancies,
      async ({ query, deps }) => ({ status: 200, body: await listDiscrepancies(deps, query) }),
      appDeps,
    ),
  ],
  [
    contract.getDiscrepancy,
    httpHandler(
      contract.getDiscrepancy,
      async ({ params, deps }) => ({ status: 200, body: await getDiscrepancy(deps, params.discrepancyId) }),
      appDeps,
    ),
  ],
]);
