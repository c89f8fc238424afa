/** The `POST /copy-requests/{id}/shipment` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { Params, CopyRequestView } from './schemas';

export const shipCopyRequest = defineRoute({
  operationId: 'shipCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/shipment',
  summary: 'Record the courier and tracking number of paid copies',
  tags: ['copy-requests'],
  auth: ['staff'],
  params: Params,
  body: z.strictObject({
    carrier: text(1, 32),
    trackingNo: z.string().check(z.regex(/^[A-Za-z0-9-]{6,40}$/)),
  }),
  responses: () => ({
    200: { description: 'SHIPPED.', schema: CopyRequestView() },
    409: { description: 'INVALID_STATE: not paid (or shipped with another tracking number).' },
  }),
});
