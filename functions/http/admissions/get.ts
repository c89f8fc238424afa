/** GET /admissions/{admissionId}: the balance, top-ups and discharge settlement (patients: their own). */
import { appDeps } from '../../../lib/config/container';
import { patientScope } from '../../../lib/http/auth';
import { getAdmission } from '../../../lib/http/contract/admissions/get-admission';
import { httpHandler } from '../../../lib/http/handler';
import { arrearsLink } from '../../../lib/http/pay-links';
import { admissionView, getAdmission as get } from '../../../lib/usecases/admissions/get';

export const handler = httpHandler(
  getAdmission,
  async ({ params, caller, deps }) => {
    const { admission, arrears } = await get(deps, params.admissionId, patientScope(caller));
    return { status: 200, body: admissionView(admission, arrears, arrearsLink(deps)) };
  },
  appDeps,
);
