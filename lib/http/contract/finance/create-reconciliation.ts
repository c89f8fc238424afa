/** The `POST /reconciliations` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { Day } from '../common';
import { Summary } from './schemas';

export const createReconciliation = defineRoute({
  operationId: 'createReconciliation',
  method: 'POST',
  path: '/reconciliations',
  summary: "Reconcile a channel's day against the provider's bill; posts the day's provider fees once",
  tags: ['finance'],
  auth: ['finance'],
  body: z.strictObject({ date: Day(), channel: z.enum(CHANNELS) }),
  responses: () => ({
    201: {
      description: 'The run (a re-run references the previous one in previousReconciliationId).',
      schema: z.object({
        reconciliationId: z.string(),
        status: z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']),
        summary: Summary(),
        previousReconciliationId: z.optional(z.string()),
      }),
    },
    409: { description: 'BILL_NOT_AVAILABLE: the provider has not published the bill yet (Retry-After).' },
    422: {
      description:
        'BILL_REJECTED: the bill is corrupt, truncated or fails its SHA-1; the run is stored FAILED.',
    },
  }),
});
