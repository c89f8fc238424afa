/** The `POST /copy-requests/{id}/cancel` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { Params, CopyRequestView } from './schemas';

export const cancelCopyRequest = defineRoute({
  operationId: 'cancelCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/cancel',
  summary: 'Cancel before shipping; after payment the fee is refunded in full',
  tags: ['copy-requests'],
  auth: ['patient', 'staff'],
  params: Params,
  body: z.strictObject({ reason: z._default(text(1, 80), 'cancelled') }),
  responses: () => ({
    200: { description: 'CANCELLED (with refundId when it was paid).', schema: CopyRequestView() },
    409: { description: 'INVALID_STATE: already shipped or delivered.' },
  }),
});
