/** The `DELETE /visits/{visitId}/charges/{chargeId}` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { Id } from '../shared';
import { Fen } from './schemas';

export const voidCharge = defineRoute({
  operationId: 'voidVisitCharge',
  method: 'DELETE',
  path: '/visits/{visitId}/charges/{chargeId}',
  summary: 'Void a charge while the visit is OPEN (reversing postings)',
  tags: ['visits'],
  auth: ['staff'],
  params: z.object({ visitId: Id, chargeId: Id }),
  responses: () => ({
    200: {
      description: 'Voided (voiding twice changes nothing).',
      schema: z.object({ chargeId: z.string(), tabFen: Fen, availableCreditFen: Fen }),
    },
    409: { description: 'INVALID_STATE: the visit is not OPEN.' },
  }),
});
