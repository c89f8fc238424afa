/** GET /copy-requests/{id}: the request with its fee, payment and shipment (patients: their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getCopyRequest } from '../../../lib/http/contract/copy-requests';
import { httpHandler } from '../../../lib/http/handler';
import { copyRequestView } from '../../../lib/usecases/views';
import { loadCopyRequest } from '../../../lib/usecases/copy-requests/records';

export const handler = httpHandler(
  getCopyRequest,
  async ({ params, caller, deps }) => {
    const { value } = await loadCopyRequest(deps.ledger, params.id, patientScope(caller));
    return { status: 200, body: await copyRequestView(value, deps.ledger) };
  },
  appDeps,
);
