/** The `POST /legacy-deposits/refunds` and `GET /legacy-deposits/refunds/{batchId}` routes. */
import * as z from 'zod/mini';
import { LEGACY_FAILURES, MAX_LEGACY_BALANCES } from '../../../domain/legacy-balance';
import { defineRoute } from '../../route';
import { DateTime, described, int, lazy, text } from '../common';
import { AmountFen, Id } from '../shared';

/** A batch of legacy balances and its progress. */
export const LegacyBatchView = lazy(() =>
  described(
    z.object({
      batchId: z.string(),
      reason: z.string(),
      status: z.enum(['PROCESSING', 'COMPLETED']),
      createdAt: DateTime(),
      completedAt: z.optional(DateTime()),
      totals: z.object({
        balances: int(),
        done: int(),
        refunded: int(),
        partial: int(),
        failed: int(),
        skipped: int(),
        refundedFen: int(),
        unrefundableFen: int(),
      }),
      skipped: z.array(z.object({ balanceId: z.string(), batchId: z.string() })),
      failures: z.array(
        z.object({
          balanceId: z.string(),
          status: z.enum(['PARTIAL', 'FAILED']),
          unrefundableFen: int(),
          reasons: z.array(z.enum(LEGACY_FAILURES)),
        }),
      ),
    }),
    { id: 'LegacyRefundBatch' },
  ),
);

export const refundLegacyDeposits = defineRoute({
  operationId: 'refundLegacyDeposits',
  method: 'POST',
  path: '/legacy-deposits/refunds',
  summary: 'Refund legacy outpatient deposit balances (imported from the HIS) to the payments they came from',
  tags: ['admissions'],
  auth: ['staff', 'finance'],
  body: z.strictObject({
    reason: text(1, 80),
    balances: z
      .array(
        z.strictObject({
          balanceId: described(Id, {
            description: "The HIS's id of the balance: refunded once, whichever batch names it.",
          }),
          patientId: Id,
          amountFen: AmountFen,
          paymentIds: z.array(Id).check(z.minLength(1), z.maxLength(50)),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_LEGACY_BALANCES)),
  }),
  responses: () => ({
    202: {
      description:
        'The batch; its refunds go on in the background: follow it with GET /legacy-deposits/refunds/{batchId}.',
      schema: LegacyBatchView(),
    },
    400: { description: 'VALIDATION_FAILED, e.g. a balance listed twice.' },
  }),
});

export const getLegacyRefunds = defineRoute({
  operationId: 'getLegacyRefunds',
  method: 'GET',
  path: '/legacy-deposits/refunds/{batchId}',
  summary: "A legacy-balance batch's progress, and the balances it could not refund whole, with why",
  tags: ['admissions'],
  auth: ['staff', 'finance'],
  params: z.object({ batchId: Id }),
  responses: () => ({
    200: { description: 'The batch.', schema: LegacyBatchView() },
    404: { description: 'NOT_FOUND' },
  }),
});
