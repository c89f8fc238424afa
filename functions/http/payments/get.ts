/** GET /payments/{paymentId}: the payment with its refunds (patients see only their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getPayment } from '../../../lib/http/contract/payments/get-payment';
import { httpHandler } from '../../../lib/http/handler';
import { getPayment as getPaymentUseCase } from '../../../lib/usecases/payments/get';

export const handler = httpHandler(
  getPayment,
  async ({ params, caller, deps }) => {
    return { status: 200, body: await getPaymentUseCase(deps, params.paymentId, patientScope(caller)) };
  },
  appDeps,
);
