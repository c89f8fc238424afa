/** The `POST /payments/{paymentId}/refunds` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { AmountFen } from '../shared';
import { RefundView, PaymentParams } from './schemas';

export const refundPayment = defineRoute({
  operationId: 'refundPayment',
  method: 'POST',
  path: '/payments/{paymentId}/refunds',
  summary: 'Refund a payment, fully or partly',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  params: PaymentParams,
  body: z.strictObject({ amountFen: AmountFen, reason: text(1, 80) }),
  responses: () => ({
    201: { description: 'The refund (PROCESSING, SUCCEEDED or FAILED).', schema: RefundView() },
  }),
});
