/** GET /refunds/{refundId}. */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getRefund } from '../../../lib/http/contract/payments';
import { httpHandler } from '../../../lib/http/handler';
import { refundView } from '../../../lib/usecases/views';
import { loadRefund } from '../../../lib/usecases/payments/records';

export const handler = httpHandler(
  getRefund,
  async ({ params, caller, deps }) => {
    const { value } = await loadRefund(deps.ledger, params.refundId, patientScope(caller));
    return { status: 200, body: refundView(value) };
  },
  appDeps,
);
