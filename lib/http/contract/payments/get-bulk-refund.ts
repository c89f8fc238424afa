/** The `GET /refunds/bulk/{batchId}` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { int, DateTime, lazy } from '../common';
import { Id } from '../shared';

const BulkItem = lazy(() =>
  z.object({
    paymentId: z.string(),
    referenceId: z.string(),
    patientId: z.string(),
    amountFen: int(),
    status: z.enum(['REFUNDED', 'REFUND_PROCESSING', 'FAILED', 'SKIPPED']),
    refundId: z.optional(z.string()),
    detail: z.optional(z.string()),
  }),
);

export const getBulkRefund = defineRoute({
  operationId: 'getBulkRefund',
  method: 'GET',
  path: '/refunds/bulk/{batchId}',
  summary: 'Progress and per-payment outcomes of a bulk refund',
  tags: ['payments'],
  auth: ['staff'],
  params: z.object({ batchId: Id }),
  responses: () => ({
    200: {
      description: 'The batch.',
      schema: z.object({
        batchId: z.string(),
        status: z.enum(['PROCESSING', 'COMPLETED']),
        reason: z.string(),
        referenceIds: z.array(z.string()),
        compensationFen: int(),
        createdAt: DateTime(),
        completedAt: z.optional(DateTime()),
        items: z.array(BulkItem()),
        totals: z.object({
          refundedFen: int(),
          compensationFen: int(),
          payments: int(),
        }),
      }),
    },
  }),
});
