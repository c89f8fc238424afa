/** POST /visits/{visitId}/settle: one settlement for the whole visit (200 SETTLED, 202 still running). */
import { patientScope } from '../../../lib/http/auth';
import { insuredCreditDeps } from '../../../lib/config/insured-credit';
import { settleVisit } from '../../../lib/http/contract/visits/settle-visit';
import { httpHandler } from '../../../lib/http/handler';
import { settlementView } from '../../../lib/usecases/views';
import { settleVisit as settle } from '../../../lib/usecases/visits/settle';

export const handler = httpHandler(
  settleVisit,
  async ({ params, body, caller, deps }) => {
    const visit = await settle(
      deps,
      params.visitId,
      { requestedBy: `${caller.role}:${caller.sub}`, asSelfPay: body.asSelfPay },
      patientScope(caller),
    );
    return { status: visit.status === 'SETTLED' ? 200 : 202, body: settlementView(visit) };
  },
  insuredCreditDeps,
);
