/** POST /payments/{paymentId}/close: close an unpaid payment at the provider and here. */
import { patientScope } from '../../../lib/http/auth';
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import { closePayment } from '../../../lib/http/contract/payments/close-payment';
import { httpHandler } from '../../../lib/http/handler';
import { paymentView } from '../../../lib/usecases/views';
import { closePayment as closePaymentUseCase } from '../../../lib/usecases/payments/close';

export const handler = httpHandler(
  closePayment,
  async ({ params, caller, deps }) => {
    const payment = await closePaymentUseCase(deps, params.paymentId, patientScope(caller));
    return { status: 200, body: await paymentView(payment, deps.ledger) };
  },
  insuredProviderDeps,
);
