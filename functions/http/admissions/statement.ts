/** GET /admissions/{admissionId}/statement: the admission's movements in order (patients: their own). */
import { appDeps } from '../../../lib/config/container';
import { patientScope } from '../../../lib/http/auth';
import { getAdmissionStatement } from '../../../lib/http/contract/admissions/statement';
import { httpHandler } from '../../../lib/http/handler';
import { admissionStatement } from '../../../lib/usecases/admissions/statement';

export const handler = httpHandler(
  getAdmissionStatement,
  async ({ params, caller, deps }) => ({
    status: 200,
    body: await admissionStatement(deps, params.admissionId, patientScope(caller)),
  }),
  appDeps,
);
