/** GET /visits/{visitId}: the visit with its tab, charges, insurance and settlement (patients: their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getVisit } from '../../../lib/http/contract/visits/get-visit';
import { httpHandler } from '../../../lib/http/handler';
import { getVisit as getVisitUseCase } from '../../../lib/usecases/visits/get';

export const handler = httpHandler(
  getVisit,
  async ({ params, caller, deps }) => {
    return { status: 200, body: await getVisitUseCase(deps, params.visitId, patientScope(caller)) };
  },
  appDeps,
);
