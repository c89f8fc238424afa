/** POST /visits/{visitId}/charges: add an HIS charge to the tab, inside the credit limit. */
import { appDeps } from '../../../lib/config/container';
import { addCharge } from '../../../lib/http/contract/visits/add-charge';
import { httpHandler } from '../../../lib/http/handler';
import { addCharge as addChargeUseCase } from '../../../lib/usecases/visits/add-charge';

export const handler = httpHandler(
  addCharge,
  async ({ params, body, deps }) => ({
    status: 201,
    body: await addChargeUseCase(deps, params.visitId, body),
  }),
  appDeps,
);
