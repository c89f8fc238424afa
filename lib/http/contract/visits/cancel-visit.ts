/** The `POST /visits/{visitId}/cancel` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { VisitParams } from './schemas';

export const cancelVisit = defineRoute({
  operationId: 'cancelVisit',
  method: 'POST',
  path: '/visits/{visitId}/cancel',
  summary: 'Cancel a visit with nothing charged and release its authorisation',
  tags: ['visits'],
  auth: ['patient', 'staff'],
  params: VisitParams,
  responses: () => ({
    200: {
      description:
        'CANCELLED; `authorisationReleased` is false while the provider is unreachable (the job retries).',
      schema: z.object({
        visitId: z.string(),
        status: z.literal('CANCELLED'),
        authorisationReleased: z.boolean(),
      }),
    },
    409: { description: 'INVALID_STATE: the visit has charges, or is settling or settled.' },
  }),
});
