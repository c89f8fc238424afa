/** The `POST /payments/{paymentId}/disputes` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { PaymentParams } from '../payments/schemas';
import { DisputeView } from './schemas';

export const openDispute = defineRoute({
  operationId: 'openDispute',
  method: 'POST',
  path: '/payments/{paymentId}/disputes',
  summary: 'Dispute a charge with the hospital (费用争议): staff answer it in the disputes inbox',
  tags: ['disputes'],
  auth: ['patient', 'staff'],
  params: PaymentParams,
  body: z.strictObject({ description: text(1, 500) }),
  responses: () => ({
    201: { description: 'The dispute, OPEN, with the hospital’s deadlines.', schema: DisputeView() },
    404: { description: 'NOT_FOUND: no such payment (or another patient’s).' },
    409: { description: 'INVALID_STATE: the payment was never paid.' },
  }),
});
