/** POST /visits/{visitId}/insurance/preauthorisations: pre-settle the tab with medical insurance. */
import { creditDeps } from '../../../lib/config/credit';
import { preauthoriseInsurance } from '../../../lib/http/contract/visits/preauthorise-insurance';
import { httpHandler } from '../../../lib/http/handler';
import { preauthoriseInsurance as preauthorise } from '../../../lib/usecases/visits/preauthorise';

export const handler = httpHandler(
  preauthoriseInsurance,
  async ({ params, deps }) => {
    const { preauthId, insuredFen, personalAccountFen, selfPayFen, expiresAt } = await preauthorise(
      deps,
      params.visitId,
    );
    return { status: 201, body: { preauthId, insuredFen, personalAccountFen, selfPayFen, expiresAt } };
  },
  creditDeps,
);
