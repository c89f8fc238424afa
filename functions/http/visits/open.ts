/** POST /visits: open a credit visit and start its authorisation. */
import { patientFor } from '../../../lib/http/auth';
import { creditDeps } from '../../../lib/config/credit';
import { openVisit } from '../../../lib/http/contract/visits/open-visit';
import { httpHandler } from '../../../lib/http/handler';
import { openVisit as openVisitUseCase } from '../../../lib/usecases/visits/open';

export const handler = httpHandler(
  openVisit,
  async ({ body, caller, deps, requestKey }) => {
    const patientId = patientFor(caller, body.patientId);
    const { visit, clientParams } = await openVisitUseCase(deps, { ...body, patientId, requestKey });
    const { visitId, creditLimitFen, outOrderNo, authoriseBy } = visit;
    return {
      status: 201,
      body: {
        visitId,
        status: 'AWAITING_AUTHORISATION' as const,
        creditLimitFen,
        outOrderNo,
        authoriseBy,
        clientParams,
      },
    };
  },
  creditDeps,
);
