/** The `GET /reconciliations` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { DateTime, Day } from '../common';
import { Summary } from './schemas';

const RunStatus = z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']);

export const listReconciliations = defineRoute({
  operationId: 'listReconciliations',
  method: 'GET',
  path: '/reconciliations',
  summary: "A business day's reconciliation runs, and whether each channel's day is closed",
  tags: ['finance'],
  auth: ['finance'],
  query: z.strictObject({
    date: Day(),
    channel: z.optional(z.enum(CHANNELS)),
    status: z.optional(RunStatus),
  }),
  responses: () => ({
    200: {
      description: "Runs newest first; `days` has each reconciled channel's latest run and its close.",
      schema: z.object({
        items: z.array(
          z.object({
            reconciliationId: z.string(),
            date: Day(),
            channel: z.enum(CHANNELS),
            status: RunStatus,
            summary: Summary(),
            previousReconciliationId: z.optional(z.string()),
            createdAt: DateTime(),
          }),
        ),
        days: z.array(
          z.object({
            channel: z.enum(CHANNELS),
            date: Day(),
            latestReconciliationId: z.string(),
            closedAt: z.optional(DateTime()),
            closedBy: z.optional(z.string()),
          }),
        ),
      }),
    },
    400: { description: 'VALIDATION_FAILED: no or malformed date, unknown channel or status.' },
  }),
});
