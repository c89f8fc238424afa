/** POST /visits/{visitId}/cancel: cancel a visit with nothing charged and release its authorisation. */
import { patientScope } from '../../../lib/http/auth';
import { insuredCreditDeps } from '../../../lib/config/insured-credit';
import { cancelVisit } from '../../../lib/http/contract/visits/cancel-visit';
import { httpHandler } from '../../../lib/http/handler';
import { cancelVisit as cancel } from '../../../lib/usecases/visits/cancel';

export const handler = httpHandler(
  cancelVisit,
  async ({ params, caller, deps }) => {
    const visit = await cancel(deps, params.visitId, patientScope(caller), `cancelled by ${caller.role}`);
    return {
      status: 200,
      body: {
        visitId: visit.visitId,
        status: 'CANCELLED' as const,
        authorisationReleased: visit.authorisationReleased === true,
      },
    };
  },
  insuredCreditDeps,
);
