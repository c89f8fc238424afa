/** Search (patients see only their own): payments by HIS reference or day; a day's visits and copy requests. */
import { appDeps } from '../../lib/config/container';
import { patientScope } from '../../lib/http/auth';
import { searchCopyRequests } from '../../lib/http/contract/copy-requests/search-copy-requests';
import { searchPayments } from '../../lib/http/contract/payments/search-payments';
import { searchVisits } from '../../lib/http/contract/visits/search-visits';
import { httpHandler } from '../../lib/http/handler';
import { httpRouter } from '../../lib/http/router';
import { searchCopyRequests as copyRequests } from '../../lib/usecases/copy-requests/get';
import { searchPayments as payments } from '../../lib/usecases/payments/search';
import { searchVisits as visits } from '../../lib/usecases/visits/get';

export const handler = httpRouter([
  [
    searchPayments,
    httpHandler(
      searchPayments,
      async ({ query, caller, deps }) => ({
        status: 200,
        body: await payments(deps, query, patientScope(caller)),
      }),
      appDeps,
    ),
  ],
  [
    searchVisits,
    httpHandler(
      searchVisits,
      async ({ query, caller, deps }) => ({
        status: 200,
        body: await visits(deps, query, patientScope(caller)),
      }),
      appDeps,
    ),
  ],
  [
    searchCopyRequests,
    httpHandler(
      searchCopyRequests,
      async ({ query, caller, deps }) => ({
        status: 200,
        body: await copyRequests(deps, query, patientScope(caller)),
      }),
      appDeps,
    ),
  ],
]);
