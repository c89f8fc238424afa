/** POST /payments: create a payment and its provider order. */
import { patientFor } from '../../../lib/http/auth';
import type { CoreDeps, PaymentParts } from '../../../lib/config/container';
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import { createPayment } from '../../../lib/http/contract/payments/create-payment';
import { httpHandler } from '../../../lib/http/handler';
import { createPayment as createPaymentUseCase } from '../../../lib/usecases/payments/create';
import { createInsuredPayment } from '../../../lib/usecases/payments/create-insured';
import { insuranceView } from '../../../lib/usecases/views';

/** Builds the route's handler; tests pass their own dependencies to run it behind the real middy stack. */
export const createPaymentHandler = (resolveDeps: () => Promise<CoreDeps & PaymentParts>) =>
  httpHandler(
    createPayment,
    async ({ body, caller, deps, requestKey }) => {
      const patientId = patientFor(caller, body.patientId);
      const { insurance, ...request } = body;
      const { payment, clientParams } = insurance
        ? await createInsuredPayment(deps, { ...request, patientId, requestKey, insurance })
        : await createPaymentUseCase(deps, { ...request, patientId, requestKey });
      const { paymentId, status, channel, amountFen, outTradeNo, expiresAt } = payment;
      return {
        status: 201,
        body: {
          paymentId,
          status,
          channel,
          amountFen,
          outTradeNo,
          expiresAt,
          clientParams,
          ...(payment.insurance ? { insurance: insuranceView(payment.insurance) } : {}),
        },
      };
    },
    resolveDeps,
  );

export const handler = createPaymentHandler(insuredProviderDeps);
