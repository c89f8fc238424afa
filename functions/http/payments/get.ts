/** GET /payments/{paymentId}: the payment with its refunds (patients see only their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getPayment } from '../../../lib/http/contract/payments';
import { httpHandler } from '../../../lib/http/handler';
import { paymentView } from '../../../lib/usecases/views';
import { loadPayment } from '../../../lib/usecases/payments/records';

export const handler = httpHandler(
  getPayment,
  async ({ params, caller, deps }) => {
    const { value } = await loadPayment(deps.ledger, params.paymentId, patientScope(caller));
    return { status: 200, body: await paymentView(value, deps.ledger) };
  },
  appDeps,
);
