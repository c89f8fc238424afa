/** GET /refunds/{refundId}. */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getRefund } from '../../../lib/http/contract/payments/get-refund';
import { httpHandler } from '../../../lib/http/handler';
import { getRefund as getRefundUseCase } from '../../../lib/usecases/payments/get-refund';

export const handler = httpHandler(
  getRefund,
  async ({ params, caller, deps }) => {
    return { status: 200, body: await getRefundUseCase(deps, params.refundId, patientScope(caller)) };
  },
  appDeps,
);
