/** POST /visits/{visitId}/insurance/preauthorisations: the patient authorises insurance on the tab. */
import { patientScope } from '../../../lib/http/auth';
import { insuredCreditDeps } from '../../../lib/config/insured-credit';
import { preauthoriseInsurance } from '../../../lib/http/contract/visits/preauthorise-insurance';
import { httpHandler } from '../../../lib/http/handler';
import { preauthoriseInsurance as preauthorise } from '../../../lib/usecases/visits/preauthorise';

export const handler = httpHandler(
  preauthoriseInsurance,
  async ({ params, body, caller, deps }) => {
    const { preauthId, insuredFen, personalAccountFen, selfPayFen, expiresAt } = await preauthorise(
      deps,
      params.visitId,
      body,
      patientScope(caller),
    );
    return { status: 201, body: { preauthId, insuredFen, personalAccountFen, selfPayFen, expiresAt } };
  },
  insuredCreditDeps,
);
