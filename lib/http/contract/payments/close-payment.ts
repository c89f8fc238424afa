/** The `POST /payments/{paymentId}/close` route. */
import { defineRoute } from '../../route';
import { PaymentView, PaymentParams } from './schemas';

export const closePayment = defineRoute({
  operationId: 'closePayment',
  method: 'POST',
  path: '/payments/{paymentId}/close',
  summary: 'Close an unpaid payment, at the provider too',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  params: PaymentParams,
  responses: () => ({
    200: { description: 'CLOSED, or PAID if the patient paid meanwhile.', schema: PaymentView() },
  }),
});
