/** POST /payments: create a payment and its provider order, or take it by a payment code scanned at a window. */
import { patientFor, requireRole, type Caller } from '../../../lib/http/auth';
import type { CoreDeps, PaymentParts } from '../../../lib/config/container';
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import type * as z from 'zod/mini';
import { createPayment, type CreatePaymentBody } from '../../../lib/http/contract/payments/create-payment';
import { httpHandler } from '../../../lib/http/handler';
import { payLinkBase, payLinkUrl } from '../../../lib/http/pay-links';
import { ValidationError } from '../../../lib/domain/errors';
import type { Payment } from '../../../lib/domain/payment';
import { createPayment as createPaymentUseCase } from '../../../lib/usecases/payments/create';
import { createInsuredPayment } from '../../../lib/usecases/payments/create-insured';
import { payByCode } from '../../../lib/usecases/payments/pay-by-code';
import { insuranceView, takenView } from '../../../lib/usecases/views';

type Body = z.output<typeof CreatePaymentBody>;

/**
 * A payment code is scanned by staff (a window clerk, a kiosk's account) for a named patient; the clerk and
 * the device go on the payment. Returns the payment as the wallet left it.
 */
function payByCodeFor(caller: Caller, body: Body, deps: CoreDeps & PaymentParts, requestKey?: string) {
  requireRole(caller, ['staff']);
  const { authCode, deviceId, windowId, patientId, channel, purpose, referenceId, amountFen, description } =
    body;
  if (!authCode || !deviceId || !patientId)
    throw new ValidationError(
      'A payment code is scanned for a patient: send patientId, authCode and deviceId.',
      [{ path: 'body.patientId', message: 'required for mode payment-code' }],
    );
  return payByCode(deps, {
    patientId,
    channel,
    purpose,
    referenceId,
    amountFen,
    description,
    requestKey,
    authCode,
    counter: { staffId: caller.sub, deviceId, ...(windowId ? { windowId } : {}) },
  });
}

/** Builds the route's handler; tests pass their own dependencies to run it behind the real middy stack. */
export const createPaymentHandler = (resolveDeps: () => Promise<CoreDeps & PaymentParts>) =>
  httpHandler(
    createPayment,
    async ({ body, caller, deps, requestKey }) => {
      const patientId = patientFor(caller, body.patientId);
      const { insurance, mode, authCode: _code, deviceId: _device, windowId: _window, ...request } = body;
      if (mode === 'h5') payLinkBase(deps.config.payLinkBaseUrl); // refused before anything is recorded
      let taken: { payment: Payment; clientParams: Record<string, string> };
      if (mode === 'payment-code')
        taken = { payment: await payByCodeFor(caller, body, deps, requestKey), clientParams: {} };
      else if (insurance)
        taken = await createInsuredPayment(deps, { ...request, mode, patientId, requestKey, insurance });
      else taken = await createPaymentUseCase(deps, { ...request, mode, patientId, requestKey });
      const { payment } = taken;
      const { paymentId, status, channel, amountFen, outTradeNo, expiresAt } = payment;
      // A link is sent to whoever will pay: its URL is what the front end shares (docs/windows.md).
      const clientParams = payment.payLink
        ? { payUrl: payLinkUrl(deps.config.payLinkBaseUrl, deps.hospitalId, payment.payLink) }
        : taken.clientParams;
      return {
        status: mode === 'payment-code' && status === 'PENDING' ? 202 : 201,
        body: {
          paymentId,
          status,
          channel,
          amountFen,
          outTradeNo,
          expiresAt,
          clientParams,
          ...(payment.insurance ? { insurance: insuranceView(payment.insurance) } : {}),
          ...takenView(payment),
        },
      };
    },
    resolveDeps,
  );

export const handler = createPaymentHandler(insuredProviderDeps);
