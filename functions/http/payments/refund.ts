/** POST /payments/{paymentId}/refunds: refund fully or partly. */
import { patientScope } from '../../../lib/http/auth';
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import type { CoreDeps, PaymentParts } from '../../../lib/config/container';
import { refundPayment } from '../../../lib/http/contract/payments/refund-payment';
import { httpHandler } from '../../../lib/http/handler';
import { refundView } from '../../../lib/usecases/views';
import { refundPayment as refundPaymentUseCase } from '../../../lib/usecases/payments/refund';

/** Builds the route's handler; tests pass their own dependencies. */
export const refundPaymentHandler = (resolveDeps: () => Promise<CoreDeps & PaymentParts>) =>
  httpHandler(
    refundPayment,
    async ({ params, body, caller, deps, requestKey }) => {
      const refund = await refundPaymentUseCase(deps, {
        paymentId: params.paymentId,
        amountFen: body.amountFen,
        reason: body.reason,
        patientScope: patientScope(caller),
        requestKey,
      });
      return { status: 201, body: refundView(refund) };
    },
    resolveDeps,
  );

export const handler = refundPaymentHandler(insuredProviderDeps);
