/** DELETE /visits/{visitId}/charges/{chargeId}: void a charge while the visit is OPEN. */
import { appDeps } from '../../../lib/config/container';
import { voidCharge } from '../../../lib/http/contract/visits/void-charge';
import { httpHandler } from '../../../lib/http/handler';
import { voidCharge as voidChargeUseCase } from '../../../lib/usecases/visits/void-charge';

export const handler = httpHandler(
  voidCharge,
  async ({ params, deps }) => ({
    status: 200,
    body: await voidChargeUseCase(deps, params.visitId, params.chargeId),
  }),
  appDeps,
);
