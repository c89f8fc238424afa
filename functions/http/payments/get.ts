/** GET /payments/{paymentId}: the payment with its refunds (patients see only their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps, type CoreDeps } from '../../../lib/config/container';
import { getPayment } from '../../../lib/http/contract/payments/get-payment';
import { httpHandler } from '../../../lib/http/handler';
import { getPayment as getPaymentUseCase } from '../../../lib/usecases/payments/get';

/** Builds the route's handler; tests pass their own dependencies. */
export const getPaymentHandler = (resolveDeps: () => Promise<CoreDeps>) =>
  httpHandler(
    getPayment,
    async ({ params, caller, deps }) => {
      return { status: 200, body: await getPaymentUseCase(deps, params.paymentId, patientScope(caller)) };
    },
    resolveDeps,
  );

export const handler = getPaymentHandler(appDeps);
