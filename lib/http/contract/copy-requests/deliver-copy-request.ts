/** The `POST /copy-requests/{id}/delivery` route. */
import * as z from 'zod/mini';
import { COURIER } from '../../auth';
import { defineRoute } from '../../route';
import { Params, CopyRequestView } from './schemas';

export const deliverCopyRequest = defineRoute({
  operationId: 'deliverCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/delivery',
  summary:
    'Confirm delivery: staff with a token, or the courier with X-Courier-Timestamp + X-Courier-Signature (hex HMAC-SHA256 of "timestamp\\nbody" with the shared secret)',
  tags: ['copy-requests'],
  auth: ['staff', COURIER],
  params: Params,
  body: z.strictObject({ signedBy: z.optional(z.string().check(z.maxLength(64))) }),
  responses: () => ({
    200: { description: 'DELIVERED (confirming twice changes nothing).', schema: CopyRequestView() },
    409: { description: 'INVALID_STATE: not shipped.' },
  }),
});
