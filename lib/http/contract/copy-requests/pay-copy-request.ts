/** The `POST /copy-requests/{id}/payments` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { CreatedPayment, Payer } from '../shared';
import { Params } from './schemas';

export const payCopyRequest = defineRoute({
  operationId: 'payCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/payments',
  summary: 'Pay the fee (the amount is the stored fee, not chosen by the client)',
  tags: ['copy-requests'],
  auth: ['patient'],
  params: Params,
  body: z.strictObject({ channel: z.enum(CHANNELS), payer: Payer }),
  responses: () => ({
    201: {
      description: 'Shaped as POST /payments.',
      schema: CreatedPayment(),
    },
    409: {
      description: 'INVALID_STATE: not awaiting payment (expired, cancelled, paid) or a payment is pending.',
    },
  }),
});
