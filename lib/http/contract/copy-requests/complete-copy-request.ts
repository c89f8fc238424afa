/** The `POST /copy-requests/{id}/completion` route. */
import * as z from 'zod/mini';
import { COPY_REQUEST_STATUSES } from '../../../domain/copy-request';
import { defineRoute } from '../../route';
import { intIn, DateTime } from '../common';
import { Params, FeeView } from './schemas';

export const completeCopyRequest = defineRoute({
  operationId: 'completeCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/completion',
  summary: 'The copies are made: fix the fee from the page count and ask the patient to pay',
  tags: ['copy-requests'],
  auth: ['staff'],
  params: Params,
  body: z.strictObject({ pages: intIn(1, 100_000) }),
  responses: () => ({
    200: {
      description: 'AWAITING_PAYMENT (the same again for the same page count).',
      schema: z.object({
        status: z.enum(COPY_REQUEST_STATUSES),
        fee: FeeView(),
        payBy: DateTime(),
      }),
    },
    409: { description: 'INVALID_STATE: completed before with another page count, or cancelled.' },
  }),
});
