/** POST /admissions/{admissionId}/discharge: settle the stay (200 SETTLED or awaiting arrears, 202 still running). */
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import { dischargeAdmission } from '../../../lib/http/contract/admissions/discharge';
import { httpHandler } from '../../../lib/http/handler';
import { arrearsLink } from '../../../lib/http/pay-links';
import { dischargeAdmission as discharge } from '../../../lib/usecases/admissions/discharge';
import { admissionView, arrearsOf } from '../../../lib/usecases/admissions/get';

export const handler = httpHandler(
  dischargeAdmission,
  async ({ params, body, caller, deps }) => {
    const { admission, clientParams } = await discharge(deps, params.admissionId, {
      ...body,
      requestedBy: `${caller.role}:${caller.sub}`,
    });
    const arrears = await arrearsOf(deps, admission);
    return {
      status: admission.status === 'SETTLING' ? 202 : 200,
      body: {
        ...admissionView(admission, arrears, arrearsLink(deps)),
        ...(clientParams ? { clientParams } : {}),
      },
    };
  },
  insuredProviderDeps,
);
