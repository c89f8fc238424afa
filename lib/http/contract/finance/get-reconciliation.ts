/** The `GET /reconciliations/{id}` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { RECONCILIATION_CLASSES } from '../../../domain/finance';
import { defineRoute } from '../../route';
import { int, text, DateTime, Day } from '../common';
import { Summary } from './schemas';

export const getReconciliation = defineRoute({
  operationId: 'getReconciliation',
  method: 'GET',
  path: '/reconciliations/{id}',
  summary: 'A reconciliation with its discrepancy lines',
  tags: ['finance'],
  auth: ['finance'],
  params: z.object({ id: text(1, 64) }),
  responses: () => ({
    200: {
      description: 'The report and its lines (every class except matched).',
      schema: z.object({
        reconciliationId: z.string(),
        date: Day(),
        channel: z.enum(CHANNELS),
        status: z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']),
        summary: Summary(),
        previousReconciliationId: z.optional(z.string()),
        failure: z.optional(z.string()),
        createdAt: DateTime(),
        lines: z.array(
          z.object({
            class: z.enum(RECONCILIATION_CLASSES),
            kind: z.enum(['payment', 'refund']),
            reference: z.string(),
            ledgerFen: z.optional(int()),
            providerFen: z.optional(int()),
            providerNo: z.optional(z.string()),
            otherDay: z.optional(Day()),
            outTradeNo: z.optional(z.string()),
          }),
        ),
      }),
    },
    404: { description: 'NOT_FOUND' },
  }),
});
