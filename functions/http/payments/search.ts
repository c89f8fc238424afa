/** GET /payments: find payments by HIS reference or business day, page by page (patients see only their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { searchPayments } from '../../../lib/http/contract/payments';
import { httpHandler } from '../../../lib/http/handler';
import { searchPayments as search } from '../../../lib/usecases/payments/search';

export const handler = httpHandler(
  searchPayments,
  async ({ query, caller, deps }) => ({ status: 200, body: await search(deps, query, patientScope(caller)) }),
  appDeps,
);
