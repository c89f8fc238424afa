/** The `GET /payments/{paymentId}` route. */
import { defineRoute } from '../../route';
import { PaymentView, PaymentParams } from './schemas';

export const getPayment = defineRoute({
  operationId: 'getPayment',
  method: 'GET',
  path: '/payments/{paymentId}',
  summary: 'A payment with its refunds',
  tags: ['payments'],
  auth: ['patient', 'staff', 'finance'],
  params: PaymentParams,
  responses: () => ({
    200: { description: 'The payment.', schema: PaymentView() },
    404: { description: 'NOT_FOUND' },
  }),
});
