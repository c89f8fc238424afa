/** POST /refunds/{refundId}/reroute: staff send an ABNORMAL refund on (WeChat apply-abnormal-refund). */
import { providerDeps } from '../../../lib/config/providers';
import { rerouteRefund } from '../../../lib/http/contract/payments/reroute-refund';
import { httpHandler } from '../../../lib/http/handler';
import { rerouteRefund as reroute } from '../../../lib/usecases/payments/reroute-refund';
import { refundView } from '../../../lib/usecases/views';

export const handler = httpHandler(
  rerouteRefund,
  async ({ params, body, caller, deps }) => {
    const refund = await reroute(deps, params.refundId, {
      ...body,
      requestedBy: `${caller.role}:${caller.sub}`,
    });
    return { status: 200, body: refundView(refund) };
  },
  providerDeps,
);
