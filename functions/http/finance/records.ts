/** Finance's reads: a day's reconciliation runs, the discrepancy to-do list, and one discrepancy. */
import { appDeps } from '../../../lib/config/container';
import { getDiscrepancy as getDiscrepancyRoute } from '../../../lib/http/contract/finance/get-discrepancy';
import { listDiscrepancies as listDiscrepanciesRoute } from '../../../lib/http/contract/finance/list-discrepancies';
import { listReconciliations as listReconciliationsRoute } from '../../../lib/http/contract/finance/list-reconciliations';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import { getDiscrepancy, listDiscrepancies } from '../../../lib/usecases/finance/discrepancies';
import { listReconciliations } from '../../../lib/usecases/finance/get-reconciliation';

export const handler = httpRouter([
  [
    listReconciliationsRoute,
    httpHandler(
      listReconciliationsRoute,
      async ({ query, deps }) => ({ status: 200, body: await listReconciliations(deps, query) }),
      appDeps,
    ),
  ],
  [
    listDiscrepanciesRoute,
    httpHandler(
      listDiscrepanciesRoute,
      async ({ query, deps }) => ({ status: 200, body: await listDiscrepancies(deps, query) }),
      appDeps,
    ),
  ],
  [
    getDiscrepancyRoute,
    httpHandler(
      getDiscrepancyRoute,
      async ({ params, deps }) => ({ status: 200, body: await getDiscrepancy(deps, params.discrepancyId) }),
      appDeps,
    ),
  ],
]);
