/** GET /admissions/{admissionId}/charges: the charge lines, page by page (patients: their own admission's). */
import { appDeps } from '../../../lib/config/container';
import { patientScope } from '../../../lib/http/auth';
import { listAdmissionCharges } from '../../../lib/http/contract/admissions/list-charges';
import { httpHandler } from '../../../lib/http/handler';
import { listAdmissionCharges as list } from '../../../lib/usecases/admissions/get';

export const handler = httpHandler(
  listAdmissionCharges,
  async ({ params, query, caller, deps }) => ({
    status: 200,
    body: await list(deps, params.admissionId, query, patientScope(caller)),
  }),
  appDeps,
);
