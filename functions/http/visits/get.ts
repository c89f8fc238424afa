/** GET /visits/{visitId}: the visit with its tab, charges, insurance and settlement (patients: their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getVisit } from '../../../lib/http/contract/visits';
import { httpHandler } from '../../../lib/http/handler';
import { visitView } from '../../../lib/usecases/views';
import { loadVisit } from '../../../lib/usecases/visits/records';

export const handler = httpHandler(
  getVisit,
  async ({ params, caller, deps }) => {
    const { value } = await loadVisit(deps.ledger, params.visitId, patientScope(caller));
    return { status: 200, body: visitView(value) };
  },
  appDeps,
);
