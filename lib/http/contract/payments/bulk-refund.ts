/** The `POST /refunds/bulk` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { fenFrom } from '../shared';

export const bulkRefund = defineRoute({
  operationId: 'bulkRefund',
  method: 'POST',
  path: '/refunds/bulk',
  summary: "Refund every paid payment of these HIS references in full (a doctor's session was suspended)",
  tags: ['payments'],
  auth: ['staff'],
  body: z.strictObject({
    referenceIds: z.array(text(1, 64)).check(z.minLength(1), z.maxLength(200)),
    reason: text(1, 80),
    compensation: z.optional(z.strictObject({ amountFen: fenFrom(0) })),
  }),
  responses: () => ({
    202: {
      description: 'The batch; follow it with GET /refunds/bulk/{batchId}.',
      schema: z.object({ batchId: z.string() }),
    },
  }),
});
