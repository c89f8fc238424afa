/** POST /copy-requests/{id}/payments: pay the stored fee through the payment capability. */
import { providerDeps } from '../../../lib/config/providers';
import { payCopyRequest } from '../../../lib/http/contract/copy-requests/pay-copy-request';
import { httpHandler } from '../../../lib/http/handler';
import { payCopyRequest as pay } from '../../../lib/usecases/copy-requests/pay';

export const handler = httpHandler(
  payCopyRequest,
  async ({ params, body, caller, deps, requestKey }) => {
    const { payment, clientParams } = await pay(deps, params.id, caller.sub, { ...body, requestKey });
    const { paymentId, status, channel, amountFen, outTradeNo, expiresAt } = payment;
    return {
      status: 201,
      body: {
        paymentId,
        status: status as 'PENDING',
        channel,
        amountFen,
        outTradeNo,
        expiresAt,
        clientParams,
      },
    };
  },
  providerDeps,
);
